/** The reminders page: the composer, then the reminders sent, with counts the page's script keeps live. */
import type { BroadcastView } from '../../../../broadcasts/broadcast-view.js';
import type { OwnedBroadcast } from '../../broadcast-owners.js';
import { dataTable } from '../../ui/data-table.js';
import { html, type Html } from '../../ui/html.js';
import { STATES } from '../../ui/labels.js';
import { showTime } from '../../ui/time.js';

export interface Sent {
  owned: OwnedBroadcast;
  view: BroadcastView;
}

export function remindersBody(
  form: Html,
  sent: Sent[],
  tz: string,
  extra: { error?: string; preview?: boolean },
): Html {
  return html`<h1>Avisos</h1>
    ${extra.error ? html`<p class="error" role="alert">${extra.error}</p>` : ''}${extra.preview ? html`<p class="ok" role="status">Cuenta actualizada. Nada se envió todavía.</p>` : ''}
    ${form}
    <h2>Avisos enviados</h2>
    ${sent.length ? sentTable(sent, tz) : html`<p class="note">Todavía no envió avisos desde la consola.</p>`}`;
}

function sentTable(sent: Sent[], tz: string): Html {
  const rows = sent.map(
    ({ owned: o, view: v }) =>
      html`<tr data-poll="/console/api/broadcasts/${o.id}">
        <td>
          <a href="/console/reminders/${o.id}"
            >${o.summary.slice(0, 60)}${o.summary.length > 60 ? '…' : ''}</a
          >
        </td>
        <td>${o.target}</td>
        <td data-state>${STATES[v.state]}</td>
        <td class="n" data-count="sent">${v.counts.sent}</td>
        <td class="n" data-count="targeted">${v.counts.targeted}</td>
        <td>${showTime(o.createdAt, tz)}</td>
      </tr>`,
  );
  return dataTable(
    'Avisos enviados',
    [
      { title: 'Aviso' },
      { title: 'Para' },
      { title: 'Estado' },
      { title: 'Enviados', numeric: true },
      { title: 'Destinatarios', numeric: true },
      { title: 'Creado' },
    ],
    rows,
  );
}
