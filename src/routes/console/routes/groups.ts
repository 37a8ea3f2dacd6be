/**
 * Groups: the list (a coordinator's own, or all for an administrator), creating one, a group's
 * page with its join code in large type and its members with masked numbers, and removing a
 * member. An administrator can also register a coordinator here.
 */
import type { FastifyInstance } from 'fastify';
import { LANGUAGES, type Language } from '../../../content/locale-schema.js';
import { E164_PATTERN } from '../../../groups/coordinator-store.js';
import type { Group } from '../../../groups/group-store.js';
import { maskPhone, parseAddress, type Channel } from '../../../privacy/phone.js';
import { groupFor, notFound, one, sendPage, sessionOf, visibleGroups, type ConsoleDeps } from '../deps.js';
import { html } from '../ui/html.js';
import { csrfField } from '../ui/layout.js';
import { showTime } from '../ui/time.js';
import { normalizePhone } from './login.js';

export const LANGUAGE_NAMES: Record<Language, string> = { es: 'Español', ay: 'Aymara', qu: 'Quechua' };

const ERRORS: Record<string, string> = {
  name: 'El grupo necesita un nombre.',
  locale: 'Elija el idioma del grupo.',
  coordinator: 'Elija un coordinador registrado.',
  phone: 'Escriba un número válido (+591…) y un nombre.',
};

const FLASH: Record<string, string> = {
  created: 'Grupo creado. Comparta el código con las personas del grupo.',
  removed: 'Se quitó a la persona del grupo.',
  coordinator: 'Coordinador registrado. Ya puede entrar a la consola con su número.',
};

export interface MemberRow {
  learner: string;
  masked: string;
  channel: Channel;
  lang: Language | null;
  lessonsDone: number;
  lastInboundAt: number;
  optedOut: boolean;
}

/** The group's members with what their sessions say; members whose data is gone are left out. */
export async function memberRows(deps: ConsoleDeps, group: Group): Promise<MemberRow[]> {
  const rows: MemberRow[] = [];
  for await (const ids of deps.groups.members(group.id)) {
    const sessions = await deps.sessions.loadMany(ids);
    ids.forEach((learner, i) => {
      const session = sessions[i];
      const address = session && parseAddress(session.address);
      if (!session || !address) return;
      rows.push({
        learner,
        masked: maskPhone(address.phone),
        channel: address.channel,
        lang: session.snapshot.context.lang,
        lessonsDone: Object.keys(session.snapshot.context.done ?? {}).length,
        lastInboundAt: session.lastInboundAt,
        optedOut: session.optedOut,
      });
    });
  }
  return rows.sort((a, b) => b.lastInboundAt - a.lastInboundAt);
}

const textField = { type: 'string', maxLength: 200 } as const;

export async function groupRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  app.get('/console/groups', async (request, reply) => {
    const session = sessionOf(request);
    const { viewer } = session;
    const query = request.query as { ok?: string; error?: string };
    const groups = await visibleGroups(deps, viewer);
    const counts = await Promise.all(groups.map((g) => deps.groups.count(g.id)));
    const coordinators = viewer.role === 'admin' ? await deps.coordinators.list() : [];
    const names = new Map(coordinators.map((c) => [c.phone, c.name]));
    const admin = viewer.role === 'admin';

    // Three columns, so the table fits a 360-pixel screen; the details go under the name.
    const table = groups.length
      ? html`<div class="scroll" role="region" aria-label="Grupos" tabindex="0">
          <table>
            <thead>
              <tr>
                <th scope="col">Grupo</th>
                <th scope="col" class="n">Personas</th>
                <th scope="col">Progreso</th>
              </tr>
            </thead>
            <tbody>
              ${groups.map(
                (g, i) =>
                  html`<tr>
                    <td>
                      <a href="/console/groups/${g.id}">${g.name}</a
                      ><small class="sub"
                        >Código <code>${g.code}</code> ·
                        ${LANGUAGE_NAMES[g.locale]}${admin ? ` · ${names.get(g.coordinator) ?? maskPhone(g.coordinator)}` : ''}</small
                      >
                    </td>
                    <td class="n">${counts[i] ?? 0}</td>
                    <td>
                      <a href="/console/groups/${g.id}/progress"
                        >Ver<span class="skip"> el progreso de ${g.name}</span></a
                      >
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      : html`<p class="note">Todavía no hay grupos. Cree el primero aquí abajo.</p>`;

    const coordinatorPicker = admin
      ? coordinators.length
        ? html`<label for="coordinator">Coordinación</label
            ><select id="coordinator" name="coordinator" required>
              ${coordinators.map(
                (c) => html`<option value="${c.phone}">${c.name} (${maskPhone(c.phone)})</option>`,
              )}
            </select>`
        : html`<p class="note">Primero registre un coordinador (abajo).</p>`
      : '';

    const registerForm = admin
      ? html`<h2 id="register">Registrar un coordinador</h2>
          <form method="post" action="/console/coordinators" class="card">
            ${csrfField(session.csrf)} <label for="c-phone">Número de celular</label
            ><input
              id="c-phone"
              name="phone"
              type="tel"
              inputmode="tel"
              required
              placeholder="+591 71234567"
            />
            <label for="c-name">Nombre</label
            ><input id="c-name" name="name" type="text" maxlength="80" required />
            <button type="submit">Registrar</button>
          </form>`
      : '';

    const body = html`<h1>Grupos</h1>
      ${query.ok && FLASH[query.ok] ? html`<p class="ok" role="status">${FLASH[query.ok]}</p>` : ''}
      ${query.error && ERRORS[query.error] ? html`<p class="error" role="alert">${ERRORS[query.error]}</p>` : ''}
      ${table}
      <h2 id="new">Crear un grupo</h2>
      <form method="post" action="/console/groups" class="card">
        ${csrfField(session.csrf)} <label for="g-name">Nombre del grupo</label
        ><input
          id="g-name"
          name="name"
          type="text"
          maxlength="80"
          required
          placeholder="Mercado Rodríguez, martes"
        />
        <label for="g-lang">Idioma del grupo</label
        ><select id="g-lang" name="locale">
          ${LANGUAGES.map((l) => html`<option value="${l}">${LANGUAGE_NAMES[l]}</option>`)}
        </select>
        <p class="hint">Quien se une sin haber elegido idioma recibe los mensajes en este.</p>
        ${coordinatorPicker}
        <button type="submit">Crear grupo</button>
      </form>
      ${registerForm}`;
    return sendPage(reply, deps, { title: 'Grupos', session, nav: 'groups', body });
  });

  app.post(
    '/console/groups',
    {
      schema: {
        body: { type: 'object', properties: { name: textField, locale: textField, coordinator: textField } },
      },
    },
    async (request, reply) => {
      const { viewer } = sessionOf(request);
      const body = request.body as Record<string, unknown>;
      const name = one(body.name).trim().slice(0, 80);
      const locale = one(body.locale) as Language;
      const back = (error: keyof typeof ERRORS) => reply.redirect(`/console/groups?error=${error}#new`, 303);
      if (!name) return back('name');
      if (!LANGUAGES.includes(locale)) return back('locale');
      const coordinator = viewer.role === 'admin' ? one(body.coordinator) : viewer.phone;
      if (!(await deps.coordinators.isCoordinator(coordinator))) return back('coordinator');
      const group = await deps.groups.create({ name, locale, coordinator });
      return reply.redirect(`/console/groups/${group.id}?ok=created`, 303);
    },
  );

  app.post(
    '/console/coordinators',
    { schema: { body: { type: 'object', properties: { phone: textField, name: textField } } } },
    async (request, reply) => {
      const { viewer } = sessionOf(request);
      if (viewer.role !== 'admin')
        return notFound(reply, deps, request, 'Solo la administración registra coordinadores.');
      const body = request.body as Record<string, unknown>;
      const phone = normalizePhone(one(body.phone));
      const name = one(body.name).trim().slice(0, 80);
      if (!phone || !new RegExp(E164_PATTERN).test(phone) || !name) {
        return reply.redirect('/console/groups?error=phone#register', 303);
      }
      await deps.coordinators.register(phone, name);
      return reply.redirect('/console/groups?ok=coordinator', 303);
    },
  );

  app.get('/console/groups/:id', async (request, reply) => {
    const session = sessionOf(request);
    const { id } = request.params as { id: string };
    const group = await groupFor(deps, session.viewer, id);
    if (!group) return notFound(reply, deps, request, 'No hay un grupo suyo con ese enlace.');
    const query = request.query as { ok?: string };
    const members = await memberRows(deps, group);
    // Three columns, to fit a phone: channel, language and last message go under the number.
    const rows = members.map(
      (m) =>
        html`<tr>
          <td>
            ${m.masked}${m.optedOut ? html` <strong>(de baja)</strong>` : ''}<small class="sub"
              >${m.channel === 'sms' ? 'SMS' : 'WhatsApp'} · ${m.lang ? LANGUAGE_NAMES[m.lang] : 'sin idioma'}
              · último mensaje ${showTime(m.lastInboundAt, deps.tz)}</small
            >
          </td>
          <td class="n">${m.lessonsDone}</td>
          <td>
            <form
              method="post"
              action="/console/groups/${group.id}/members/remove"
              data-confirm="¿Quitar a ${m.masked} del grupo?"
            >
              ${csrfField(session.csrf)}<input
                type="hidden"
                name="member"
                value="${deps.auth.memberRef(group.id, m.learner)}"
              /><button class="danger" type="submit">Quitar<span class="skip"> a ${m.masked}</span></button>
            </form>
          </td>
        </tr>`,
    );
    const body = html`<p><a href="/console/groups">← Grupos</a></p>
      <h1>${group.name}</h1>
      ${query.ok && FLASH[query.ok] ? html`<p class="ok" role="status">${FLASH[query.ok]}</p>` : ''}
      <section class="card" aria-labelledby="code-h">
        <h2 id="code-h">Código para unirse</h2>
        <p class="code" aria-label="Código: ${group.code.split('').join(' ')}">${group.code}</p>
        <p>
          Cada persona envía <strong>UNIRME ${group.code}</strong> (o solo <strong>${group.code}</strong>) al
          número de Ayni, por SMS o WhatsApp. El código no tiene 0, O, 1, I ni L.
        </p>
      </section>
      <div class="row">
        <a class="button" href="/console/groups/${group.id}/progress">Ver progreso</a
        ><a class="button" href="/console/reminders?group=${group.id}">Enviar un aviso</a>
      </div>
      <h2>Personas (<span id="member-count">${members.length}</span>)</h2>
      ${
        members.length
          ? html`<div class="scroll" role="region" aria-label="Personas del grupo" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Persona</th>
                    <th scope="col" class="n">Lecciones</th>
                    <th scope="col"><span class="skip">Acción</span></th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>`
          : html`<p class="note">
              Nadie se unió todavía. Cuando alguien envíe el código, aparece aquí (recargue la página).
            </p>`
      }
      <p class="hint">Los números se muestran enmascarados: Ayni no los muestra completos a nadie.</p>`;
    return sendPage(reply, deps, { title: group.name, session, nav: 'groups', body });
  });

  app.post(
    '/console/groups/:id/members/remove',
    { schema: { body: { type: 'object', properties: { member: textField } } } },
    async (request, reply) => {
      const { viewer } = sessionOf(request);
      const { id } = request.params as { id: string };
      const group = await groupFor(deps, viewer, id);
      if (!group) return notFound(reply, deps, request, 'No hay un grupo suyo con ese enlace.');
      const ref = one((request.body as Record<string, unknown>).member);
      for await (const ids of deps.groups.members(group.id)) {
        const learner = ids.find((l) => deps.auth.memberRef(group.id, l) === ref);
        if (learner) {
          await deps.groups.removeMember(group.id, learner);
          return reply.redirect(`/console/groups/${group.id}?ok=removed`, 303);
        }
      }
      return reply.redirect(`/console/groups/${group.id}`, 303);
    },
  );
}
