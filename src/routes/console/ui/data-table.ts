/**
 * A table in a box that scrolls sideways on a narrow screen, named for screen readers and
 * reachable with the keyboard: every table of the console.
 */
import { html, raw, type Html, type Part } from './html.js';

export interface Column {
  title: Part;
  /** right-aligned figures */
  numeric?: boolean;
}

function headCell(column: Column): Html {
  return column.numeric
    ? html`<th scope="col" class="n">${column.title}</th>`
    : html`<th scope="col">${column.title}</th>`;
}

export function dataTable(label: string, columns: Column[], rows: Part): Html {
  const head = raw(columns.map((c) => headCell(c).text).join('\n'));
  return html`<div class="scroll" role="region" aria-label="${label}" tabindex="0">
    <table>
      <thead>
        <tr>
          ${head}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}
