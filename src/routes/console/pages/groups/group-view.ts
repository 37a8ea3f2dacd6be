/** A group's page: its join code in large type, and its members with masked numbers. */
import type { Group } from '../../../../groups/group-store.js';
import type { ConsoleSession } from '../../auth.js';
import type { MemberRow } from '../../scope.js';
import { dataTable } from '../../ui/data-table.js';
import { html, type Html } from '../../ui/html.js';
import { channelName, LANGUAGE_NAMES } from '../../ui/labels.js';
import { csrfField } from '../../ui/layout.js';
import { showTime } from '../../ui/time.js';

export function groupBody(
  session: ConsoleSession,
  group: Group,
  members: MemberRow[],
  tz: string,
  ok: string | undefined,
): Html {
  return html`<p><a href="/console/groups">← Grupos</a></p>
    <h1>${group.name}</h1>
    ${ok ? html`<p class="ok" role="status">${ok}</p>` : ''}
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
    ${nudgesForm(session, group)}
    <h2>Personas (<span id="member-count">${members.length}</span>)</h2>
    ${
      members.length
        ? membersTable(session, group, members, tz)
        : html`<p class="note">
            Nadie se unió todavía. Cuando alguien envíe el código, aparece aquí (recargue la página).
          </p>`
    }
    <p class="hint">Los números se muestran enmascarados: Ayni no los muestra completos a nadie.</p>`;
}

/** Whether the group's members get automatic reminders when they stop mid-lesson, and the switch. */
function nudgesForm(session: ConsoleSession, group: Group): Html {
  const state = group.nudgesOff
    ? 'Apagados: nadie del grupo recibe recordatorios automáticos.'
    : 'Encendidos: quien se detiene a mitad de una lección recibe un recordatorio.';
  return html`<form method="post" action="/console/groups/${group.id}/nudges" class="row">
    ${csrfField(session.csrf)}<input type="hidden" name="enabled" value="${group.nudgesOff ? 'on' : 'off'}" />
    <p id="nudges-state">Recordatorios automáticos: ${state}</p>
    <button type="submit">${group.nudgesOff ? 'Encender recordatorios' : 'Apagar recordatorios'}</button>
  </form>`;
}

/** Three columns, to fit a phone: channel, language and last message go under the number. */
function membersTable(session: ConsoleSession, group: Group, members: MemberRow[], tz: string): Html {
  const rows = members.map(
    (m) =>
      html`<tr>
        <td>
          ${m.masked}${m.optedOut ? html` <strong>(de baja)</strong>` : ''}<small class="sub"
            >${channelName(m.channel)} · ${m.lang ? LANGUAGE_NAMES[m.lang] : 'sin idioma'} · último mensaje
            ${showTime(m.lastInboundAt, tz)}</small
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
              value="${m.ref}"
            />${removeButton(m.masked)}
          </form>
        </td>
      </tr>`,
  );
  return dataTable(
    'Personas del grupo',
    [
      { title: 'Persona' },
      { title: 'Lecciones', numeric: true },
      { title: html`<span class="skip">Acción</span>` },
    ],
    rows,
  );
}

function removeButton(masked: string): Html {
  return html`<button class="danger" type="submit">Quitar<span class="skip"> a ${masked}</span></button>`;
}
