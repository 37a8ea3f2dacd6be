/** The groups page: the viewer's groups, the form to create one, and (administrators) to register a coordinator. */
import { LANGUAGES } from '../../../../content/locale-schema.js';
import type { Coordinator } from '../../../../groups/coordinator-store.js';
import type { Group } from '../../../../groups/group-store.js';
import { maskPhone } from '../../../../privacy/phone.js';
import { NAME_MAX } from '../../../../reading/names.js';
import type { ConsoleSession } from '../../auth.js';
import { dataTable } from '../../ui/data-table.js';
import { html, type Html } from '../../ui/html.js';
import { LANGUAGE_NAMES } from '../../ui/labels.js';
import { csrfField } from '../../ui/layout.js';

export interface GroupsList {
  session: ConsoleSession;
  groups: Group[];
  /** members of each group, in the same order */
  counts: number[];
  /** every coordinator, for an administrator; none for a coordinator */
  coordinators: Coordinator[];
  ok?: string;
  error?: string;
}

export function groupsBody(list: GroupsList): Html {
  const { session, ok, error } = list;
  return html`<h1>Grupos</h1>
    ${ok ? html`<p class="ok" role="status">${ok}</p>` : ''}
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''} ${groupsTable(list)}
    <h2 id="new">Crear un grupo</h2>
    <form method="post" action="/console/groups" class="card">
      ${csrfField(session.csrf)} <label for="g-name">Nombre del grupo</label
      ><input
        id="g-name"
        name="name"
        type="text"
        maxlength="${NAME_MAX}"
        required
        placeholder="Mercado Rodríguez, martes"
      />
      <label for="g-lang">Idioma del grupo</label
      ><select id="g-lang" name="locale">
        ${LANGUAGES.map((l) => html`<option value="${l}">${LANGUAGE_NAMES[l]}</option>`)}
      </select>
      <p class="hint">Quien se une sin haber elegido idioma recibe los mensajes en este.</p>
      ${session.viewer.role === 'admin' ? coordinatorPicker(list.coordinators) : ''}
      <button type="submit">Crear grupo</button>
    </form>
    ${session.viewer.role === 'admin' ? registerForm(session) : ''}`;
}

/** Three columns, so the table fits a 360-pixel screen; the details go under the name. */
function groupsTable({ session, groups, counts, coordinators }: GroupsList): Html {
  if (!groups.length) return html`<p class="note">Todavía no hay grupos. Cree el primero aquí abajo.</p>`;
  const admin = session.viewer.role === 'admin';
  const names = new Map(coordinators.map((c) => [c.phone, c.name]));
  const rows = groups.map(
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
  );
  return dataTable(
    'Grupos',
    [{ title: 'Grupo' }, { title: 'Personas', numeric: true }, { title: 'Progreso' }],
    rows,
  );
}

function coordinatorPicker(coordinators: Coordinator[]): Html {
  if (!coordinators.length) return html`<p class="note">Primero registre un coordinador (abajo).</p>`;
  return html`<label for="coordinator">Coordinación</label
    ><select id="coordinator" name="coordinator" required>
      ${coordinators.map((c) => html`<option value="${c.phone}">${c.name} (${maskPhone(c.phone)})</option>`)}
    </select>`;
}

function registerForm(session: ConsoleSession): Html {
  return html`<h2 id="register">Registrar un coordinador</h2>
    <form method="post" action="/console/coordinators" class="card">
      ${csrfField(session.csrf)} <label for="c-phone">Número de celular</label
      ><input id="c-phone" name="phone" type="tel" inputmode="tel" required placeholder="+591 71234567" />
      <label for="c-name">Nombre</label
      ><input id="c-name" name="name" type="text" maxlength="${NAME_MAX}" required />
      <button type="submit">Registrar</button>
    </form>`;
}
