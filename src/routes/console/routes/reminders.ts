/**
 * Reminders (broadcasts): compose one text per language side by side, each with its SMS cost as
 * it will be spelled and billed; pick who gets it (a coordinator: their own groups; an
 * administrator: also everyone, a language, who has not finished a lesson, who has been quiet);
 * send now, at a time, or every week until a date. Then watch its counts and cancel what has not
 * gone. Everything goes through the console's broadcasts API (the admin API's routes with
 * coordinator scoping), so the console can never do more than that API allows the viewer.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BroadcastInput } from '../../../broadcasts/broadcast-service.js';
import { LANGUAGES, type Language } from '../../../content/locale-schema.js';
import type { ConsoleSession } from '../auth.js';
import {
  callApi,
  many,
  notFound,
  one,
  sendPage,
  sessionOf,
  visibleGroups,
  type ConsoleDeps,
} from '../deps.js';
import { html, jsonScript, type Html } from '../ui/html.js';
import { csrfField } from '../ui/layout.js';
import { countSms, describeCount, spellingTables } from '../sms-count.js';
import { isoToLocal, localToIso, showDate, showTime, WEEKDAYS } from '../ui/time.js';
import { LANGUAGE_NAMES } from './groups.js';

/** What GET /console/api/broadcasts/:id answers (broadcasts-route.ts). */
export interface BroadcastView {
  id: string;
  state: 'scheduled' | 'sending' | 'repeating' | 'done' | 'cancelled';
  counts: Record<'targeted' | 'queued' | 'sent' | 'delivered' | 'failed' | 'skipped', number>;
  skippedReasons: Record<string, number>;
  failedReasons?: Record<string, number>;
  languages?: string[];
  createdAt?: string;
  sendAt?: string | null;
  repeat?: { cron: string; until: string; tz: string } | null;
  nextAt?: string | null;
}

export const STATES: Record<BroadcastView['state'], string> = {
  scheduled: 'programado',
  sending: 'enviando',
  repeating: 'se repite',
  done: 'terminado',
  cancelled: 'cancelado',
};

export const REASONS: Record<string, string> = {
  opted_out: 'se dieron de baja (STOP)',
  unknown_learner: 'borraron sus datos',
  outside_window: 'WhatsApp fuera de las 24 horas, sin plantilla',
  no_sender: 'no hay número emisor para su canal',
  cancelled: 'cancelado antes de salir',
  'failed:gave_up_rate_limited': 'Twilio saturado: se dejó de intentar',
  'failed:gave_up_uncertain': 'sin respuesta clara de Twilio',
  'failed:gave_up_error': 'error al enviar',
};

const NONE = 'ninguno, por ahora';

const COUNTS: [keyof BroadcastView['counts'], string][] = [
  ['targeted', 'Destinatarios'],
  ['sent', 'Enviados'],
  ['delivered', 'Entregados'],
  ['failed', 'Fallidos'],
  ['skipped', 'Omitidos'],
  ['queued', 'En cola'],
];

type TargetKind = 'groups' | 'all' | 'locale' | 'notFinished' | 'inactiveDays';

interface Draft {
  text: Record<Language, string>;
  target: TargetKind;
  groups: string[];
  locale: string;
  notFinished: string;
  inactiveDays: string;
  when: 'now' | 'at' | 'weekly';
  at: string;
  day: string;
  time: string;
  until: string;
  smsFallback: boolean;
}

function emptyDraft(groupId: string | undefined, now: number, tz: string): Draft {
  return {
    text: { es: '', ay: '', qu: '' },
    target: 'groups',
    groups: groupId ? [groupId] : [],
    locale: 'es',
    notFinished: '',
    inactiveDays: '7',
    when: 'now',
    at: isoToLocal(now + 24 * 60 * 60 * 1000, tz).slice(0, 11) + '10:00',
    day: '1',
    time: '10:00',
    until: isoToLocal(now + 30 * 24 * 60 * 60 * 1000, tz).slice(0, 10),
    smsFallback: true,
  };
}

function draftOf(body: Record<string, unknown>): Draft {
  const kinds: TargetKind[] = ['groups', 'all', 'locale', 'notFinished', 'inactiveDays'];
  const target = one(body.target) as TargetKind;
  const when = one(body.when);
  return {
    text: { es: one(body.text_es), ay: one(body.text_ay), qu: one(body.text_qu) },
    target: kinds.includes(target) ? target : 'groups',
    groups: many(body.groups),
    locale: one(body.locale),
    notFinished: one(body.notFinished),
    inactiveDays: one(body.inactiveDays),
    when: when === 'at' || when === 'weekly' ? when : 'now',
    at: one(body.at),
    day: one(body.day),
    time: one(body.time),
    until: one(body.until),
    smsFallback: one(body.smsFallback) === 'on',
  };
}

/** The API body for a draft, or a message saying what to fix. */
function inputOf(draft: Draft, admin: boolean, tz: string, now: number): BroadcastInput | string {
  const text: Partial<Record<Language, string>> = {};
  for (const lang of LANGUAGES) if (draft.text[lang].trim()) text[lang] = draft.text[lang].trim();
  if (!text.es) return 'Escriba el aviso en español: es obligatorio y se envía a quien no tenga su idioma.';
  let target: BroadcastInput['target'];
  const kind = admin ? draft.target : 'groups';
  if (kind === 'groups') {
    if (!draft.groups.length) return 'Marque al menos un grupo.';
    target = { groups: draft.groups.slice(0, 100) };
  } else if (kind === 'all') target = { all: true };
  else if (kind === 'locale') {
    if (!LANGUAGES.includes(draft.locale as Language)) return 'Elija un idioma.';
    target = { locale: draft.locale as Language };
  } else if (kind === 'notFinished') {
    if (!draft.notFinished) return 'Elija una lección.';
    target = { notFinished: draft.notFinished };
  } else {
    const days = Number(draft.inactiveDays);
    if (!Number.isInteger(days) || days < 1 || days > 3650) return 'Los días sin escribir van de 1 a 3650.';
    target = { inactiveDays: days };
  }
  const input: BroadcastInput = { target, text, smsFallback: draft.smsFallback };
  if (draft.when === 'at') {
    const sendAt = localToIso(draft.at, tz);
    if (!sendAt) return 'Elija la fecha y la hora del envío.';
    if (Date.parse(sendAt) < now - 60_000) return 'Esa fecha y hora ya pasaron.';
    input.sendAt = sendAt;
  } else if (draft.when === 'weekly') {
    const day = Number(draft.day);
    const time = /^(\d{2}):(\d{2})$/.exec(draft.time);
    const until = /^\d{4}-\d{2}-\d{2}$/.test(draft.until) ? localToIso(`${draft.until}T23:59`, tz) : null;
    if (!Number.isInteger(day) || day < 0 || day > 6 || !time)
      return 'Elija el día y la hora de cada semana.';
    if (!until || Date.parse(until) <= now) return 'Elija hasta qué fecha se repite (una fecha futura).';
    input.repeat = { cron: `${Number(time[2])} ${Number(time[1])} * * ${day}`, until };
  }
  return input;
}

/** "cada lunes a las 10:00" for the crons this page writes; the cron itself otherwise. */
export function describeCron(cron: string): string {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* ([0-6])$/.exec(cron);
  if (!match) return `cron ${cron}`;
  const [, minute, hour, day] = match;
  return `cada ${WEEKDAYS[Number(day)]} a las ${hour!.padStart(2, '0')}:${minute!.padStart(2, '0')}`;
}

function checked(on: boolean): Html {
  return on ? html` checked` : html``;
}

export async function reminderRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  const tables = spellingTables(deps.content.spelling);
  const labels = { states: STATES, reasons: REASONS, none: NONE };
  const lessons = deps.content.course.lessons.map((l) => ({
    id: l.id,
    title: deps.content.translator.t('es', `${l.id}:${l.title}`),
  }));

  const unavailable = (request: FastifyRequest, reply: FastifyReply) =>
    sendPage(
      reply,
      deps,
      {
        title: 'Avisos',
        session: request.consoleSession,
        nav: 'reminders',
        body: html`<h1>Avisos</h1>
          <p class="note">Los avisos no están disponibles en este servidor.</p>`,
      },
      503,
    );

  const composePage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    session: ConsoleSession,
    draft: Draft,
    extra: { error?: string; preview?: boolean; status?: number } = {},
  ) => {
    const admin = session.viewer.role === 'admin';
    const groups = await visibleGroups(deps, session.viewer);
    const textBoxes = LANGUAGES.map((lang) => {
      const count = countSms(draft.text[lang], lang, deps.content.spelling);
      const empty = lang === 'es' ? 'vacío' : 'vacío: recibirán el texto en español';
      return html`<div>
        <label for="t-${lang}">${LANGUAGE_NAMES[lang]}${lang === 'es' ? ' (obligatorio)' : ''}</label>
        <textarea
          id="t-${lang}"
          name="text_${lang}"
          lang="${lang}"
          maxlength="1600"
          data-sms="${lang}"
          data-empty="${empty}"
          aria-describedby="c-${lang} h-sms"
          ${lang === 'es' ? html` required` : ''}
        >
${draft.text[lang]}</textarea>
        <output id="c-${lang}" for="t-${lang}" class="count${count.segments > 1 ? ' over' : ''}"
          >${count.chars ? describeCount(count) : empty}</output
        >
      </div>`;
    });
    const groupChoices = groups.length
      ? html`<fieldset>
          <legend>${admin ? 'Grupos' : 'A qué grupos'}</legend>
          ${groups.map(
            (g) =>
              html`<label class="choice"
                ><input
                  type="checkbox"
                  name="groups"
                  value="${g.id}"
                  ${checked(draft.groups.includes(g.id))}
                />
                ${g.name} <small>(${g.code})</small></label
              >`,
          )}
        </fieldset>`
      : html`<p class="note">
          ${admin ? 'No hay grupos.' : 'Todavía no tiene grupos: cree uno en Grupos.'}
        </p>`;
    const targetPicker = admin
      ? html`<fieldset>
          <legend>A quién</legend>
          <label class="choice"
            ><input type="radio" name="target" value="groups" ${checked(draft.target === 'groups')} /> A
            grupos (marque abajo)</label
          >
          <label class="choice"
            ><input type="radio" name="target" value="all" ${checked(draft.target === 'all')} /> A todas las
            personas</label
          >
          <label class="choice"
            ><input type="radio" name="target" value="locale" ${checked(draft.target === 'locale')} /> A
            quienes usan el idioma</label
          >
          <select name="locale" aria-label="Idioma">
            ${LANGUAGES.map((l) => html`<option value="${l}" ${draft.locale === l ? html` selected` : ''}>${LANGUAGE_NAMES[l]}</option>`)}
          </select>
          <label class="choice"
            ><input
              type="radio"
              name="target"
              value="notFinished"
              ${checked(draft.target === 'notFinished')}
            />
            A quienes no terminaron la lección</label
          >
          <select name="notFinished" aria-label="Lección">
            <option value="">—</option>
            ${lessons.map((l) => html`<option value="${l.id}" ${draft.notFinished === l.id ? html` selected` : ''}>${l.title}</option>`)}
          </select>
          <label class="choice"
            ><input
              type="radio"
              name="target"
              value="inactiveDays"
              ${checked(draft.target === 'inactiveDays')}
            />
            A quienes no escriben hace días:</label
          >
          <input
            type="number"
            name="inactiveDays"
            min="1"
            max="3650"
            value="${draft.inactiveDays}"
            aria-label="Días sin escribir"
          />
          ${groupChoices}
        </fieldset>`
      : groupChoices;

    const form = html`<form method="post" action="/console/reminders" id="compose">
      ${csrfField(session.csrf)}<input type="hidden" name="idem" value="${randomBytes(12).toString('hex')}" />
      <fieldset>
        <legend>El aviso</legend>
        <p class="hint" id="h-sms">
          Debajo de cada texto: cuántos SMS cuesta por persona y su codificación, ya escrito como sale por SMS
          (sin tildes en á í ó ú). Un SMS lleva 160 caracteres GSM-7, o 70 si hay un carácter fuera de GSM-7
          (por ejemplo un emoji). WhatsApp no cobra por tamaño.
        </p>
        <div class="grid">${textBoxes}</div>
      </fieldset>
      ${targetPicker}
      <fieldset>
        <legend>Cuándo</legend>
        <label class="choice"
          ><input type="radio" id="when-now" name="when" value="now" ${checked(draft.when === 'now')} />
          Ahora</label
        >
        <label class="choice"
          ><input type="radio" id="when-at" name="when" value="at" ${checked(draft.when === 'at')} /> En una
          fecha y hora</label
        >
        <div class="when-at">
          <label for="at">Fecha y hora (hora de Bolivia)</label
          ><input id="at" name="at" type="datetime-local" value="${draft.at}" />
        </div>
        <label class="choice"
          ><input
            type="radio"
            id="when-weekly"
            name="when"
            value="weekly"
            ${checked(draft.when === 'weekly')}
          />
          Cada semana</label
        >
        <div class="when-weekly">
          <label for="day">Día</label
          ><select id="day" name="day">
            ${WEEKDAYS.map((d, i) => html`<option value="${i}" ${draft.day === String(i) ? html` selected` : ''}>${d}</option>`)}
          </select>
          <label for="time">Hora (hora de Bolivia)</label
          ><input id="time" name="time" type="time" value="${draft.time}" />
          <label for="until">Hasta el</label
          ><input id="until" name="until" type="date" value="${draft.until}" />
        </div>
      </fieldset>
      <label class="choice"
        ><input type="checkbox" name="smsFallback" ${checked(draft.smsFallback)} /> Si alguien de WhatsApp no
        escribió en 24 horas, enviárselo por SMS</label
      >
      <div class="row">
        <button type="submit" name="action" value="send">Enviar aviso</button
        ><button type="submit" class="quiet" name="action" value="preview">Contar SMS sin enviar</button>
      </div>
    </form>`;

    const owned = await deps.owners.list(session.viewer, 20);
    const views = await Promise.all(
      owned.map((o) => callApi<BroadcastView>(app, request, 'GET', `/console/api/broadcasts/${o.id}`)),
    );
    const rows = owned
      .map((o, i) => ({ o, view: views[i] }))
      .filter((r) => r.view?.status === 200)
      .map(({ o, view }) => {
        const v = view!.json;
        return html`<tr data-poll="/console/api/broadcasts/${o.id}">
          <td>
            <a href="/console/reminders/${o.id}"
              >${o.summary.slice(0, 60)}${o.summary.length > 60 ? '…' : ''}</a
            >
          </td>
          <td>${o.target}</td>
          <td data-state>${STATES[v.state]}</td>
          <td class="n" data-count="sent">${v.counts.sent}</td>
          <td class="n" data-count="targeted">${v.counts.targeted}</td>
          <td>${showTime(o.createdAt, deps.tz)}</td>
        </tr>`;
      });
    const list = rows.length
      ? html`<div class="scroll" role="region" aria-label="Avisos enviados" tabindex="0">
          <table>
            <thead>
              <tr>
                <th scope="col">Aviso</th>
                <th scope="col">Para</th>
                <th scope="col">Estado</th>
                <th scope="col" class="n">Enviados</th>
                <th scope="col" class="n">Destinatarios</th>
                <th scope="col">Creado</th>
              </tr>
            </thead>
            <tbody>
              ${rows}
            </tbody>
          </table>
        </div>`
      : html`<p class="note">Todavía no envió avisos desde la consola.</p>`;

    const body = html`<h1>Avisos</h1>
      ${extra.error ? html`<p class="error" role="alert">${extra.error}</p>` : ''}${extra.preview ? html`<p class="ok" role="status">Cuenta actualizada. Nada se envió todavía.</p>` : ''}
      ${form}
      <h2>Avisos enviados</h2>
      ${list}`;
    return sendPage(
      reply,
      deps,
      {
        title: 'Avisos',
        session,
        nav: 'reminders',
        body,
        tail: html`${jsonScript('sms-spelling', tables)}${jsonScript('console-labels', labels)}`,
      },
      extra.status ?? 200,
    );
  };

  app.get('/console/reminders', async (request, reply) => {
    if (!deps.broadcasts) return unavailable(request, reply);
    const session = sessionOf(request);
    const group = one((request.query as { group?: unknown }).group);
    return composePage(request, reply, session, emptyDraft(group || undefined, Date.now(), deps.tz));
  });

  app.post(
    '/console/reminders',
    {
      schema: {
        body: {
          type: 'object',
          properties: {
            text_es: { type: 'string', maxLength: 1600 },
            text_ay: { type: 'string', maxLength: 1600 },
            text_qu: { type: 'string', maxLength: 1600 },
          },
        },
      },
    },
    async (request, reply) => {
      if (!deps.broadcasts) return unavailable(request, reply);
      const session = sessionOf(request);
      const body = request.body as Record<string, unknown>;
      const draft = draftOf(body);
      if (one(body.action) === 'preview')
        return composePage(request, reply, session, draft, { preview: true });
      const input = inputOf(draft, session.viewer.role === 'admin', deps.tz, Date.now());
      if (typeof input === 'string')
        return composePage(request, reply, session, draft, { error: input, status: 400 });
      const idem = one(body.idem);
      const created = await callApi<{ id?: string; error?: string }>(
        app,
        request,
        'POST',
        '/console/api/broadcasts',
        input,
        /^[0-9a-f]{24}$/.test(idem) ? { 'idempotency-key': `form:${idem}` } : {},
      );
      if (created.status !== 201 || !created.json.id) {
        return composePage(request, reply, session, draft, {
          error: `No se pudo crear el aviso: ${created.json.error ?? `error ${created.status}`}`,
          status: created.status >= 400 && created.status < 600 ? created.status : 500,
        });
      }
      return reply.redirect(`/console/reminders/${created.json.id}?ok=created`, 303);
    },
  );

  app.get('/console/reminders/:id', async (request, reply) => {
    if (!deps.broadcasts) return unavailable(request, reply);
    const session = sessionOf(request);
    const { id } = request.params as { id: string };
    if (!/^[0-9a-z]{12}$/.test(id))
      return notFound(reply, deps, request, 'No hay un aviso suyo con ese enlace.');
    const api = await callApi<BroadcastView>(app, request, 'GET', `/console/api/broadcasts/${id}`);
    if (api.status === 404) return notFound(reply, deps, request, 'No hay un aviso suyo con ese enlace.');
    if (api.status !== 200)
      throw Object.assign(new Error('broadcast unavailable'), { statusCode: api.status });
    const v = api.json;
    const owned = await deps.owners.get(id);
    const full = await deps.broadcasts.status(id);
    const texts: Partial<Record<Language, string>> = full?.broadcast.text ?? {};
    const query = request.query as { ok?: string };
    const reasons = [...Object.entries(v.skippedReasons), ...Object.entries(v.failedReasons ?? {})];
    const schedule = v.repeat
      ? `${describeCron(v.repeat.cron)}, hasta el ${showDate(v.repeat.until, deps.tz)}`
      : v.sendAt
        ? `el ${showTime(v.sendAt, deps.tz)}`
        : `al crearlo (${showTime(v.createdAt, deps.tz)})`;
    const active = v.state !== 'done' && v.state !== 'cancelled';

    const body = html`<p><a href="/console/reminders">← Avisos</a></p>
      <h1>Aviso</h1>
      ${query.ok === 'created' ? html`<p class="ok" role="status">Aviso creado. Las cifras se actualizan solas.</p>` : ''}${query.ok === 'cancelled' ? html`<p class="ok" role="status">Aviso cancelado: lo que no salió ya no sale.</p>` : ''}
      <section data-poll="/console/api/broadcasts/${id}" aria-labelledby="state-h">
        <h2 id="state-h" aria-live="polite">Estado: <span data-state>${STATES[v.state]}</span></h2>
        <dl class="facts">
          <dt>Para</dt>
          <dd>${owned?.target ?? '—'}</dd>
          <dt>Envío</dt>
          <dd>${schedule}</dd>
          ${
            v.nextAt && v.repeat
              ? html`<dt>Próximo</dt>
                  <dd>${showTime(v.nextAt, deps.tz)}</dd>`
              : ''
          }
        </dl>
        <dl class="counts">
          ${COUNTS.map(
            ([key, label]) =>
              html`<div>
                <dt>${label}</dt>
                <dd data-count="${key}">${v.counts[key]}</dd>
              </div>`,
          )}
        </dl>
        <h3>Por qué no salieron</h3>
        <ul data-reasons>
          ${reasons.length ? reasons.map(([k, n]) => html`<li>${REASONS[k] ?? k}: ${n}</li>`) : html`<li>${NONE}</li>`}
        </ul>
        ${active ? html`<form method="post" action="/console/reminders/${id}/cancel" data-cancel data-confirm="¿Cancelar este aviso? Lo que no salió ya no saldrá.">${csrfField(session.csrf)}<button class="danger" type="submit">Cancelar aviso</button></form>` : ''}
      </section>
      <h2>Textos</h2>
      <div class="grid">
        ${LANGUAGES.map((lang) => {
          const text = texts[lang];
          return html`<div class="card">
            <h3>${LANGUAGE_NAMES[lang]}</h3>
            ${
              text
                ? html`<p lang="${lang}">${text}</p>
                    <p class="hint">${describeCount(countSms(text, lang, deps.content.spelling))}</p>`
                : html`<p class="hint">Sin texto propio: recibe el español.</p>`
            }
          </div>`;
        })}
      </div>`;
    return sendPage(reply, deps, {
      title: 'Aviso',
      session,
      nav: 'reminders',
      body,
      tail: jsonScript('console-labels', labels),
    });
  });

  app.post('/console/reminders/:id/cancel', async (request, reply) => {
    if (!deps.broadcasts) return unavailable(request, reply);
    const { id } = request.params as { id: string };
    if (!/^[0-9a-z]{12}$/.test(id))
      return notFound(reply, deps, request, 'No hay un aviso suyo con ese enlace.');
    const api = await callApi<BroadcastView>(app, request, 'DELETE', `/console/api/broadcasts/${id}`);
    if (api.status === 404) return notFound(reply, deps, request, 'No hay un aviso suyo con ese enlace.');
    if (api.status !== 200) throw Object.assign(new Error('could not cancel'), { statusCode: api.status });
    return reply.redirect(`/console/reminders/${id}?ok=cancelled`, 303);
  });
}
