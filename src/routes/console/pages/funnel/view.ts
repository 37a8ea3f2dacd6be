/**
 * The "where learners stop" pages: the filter (group, language, channel, days), what nudges did,
 * one line per lesson, and one lesson's steps with the step where most stop marked.
 */
import type { Group } from '../../../../groups/group-store.js';
import type { FunnelFilter, FunnelReport, FunnelStep } from '../../../../groups/funnel-report.js';
import type { NudgeFigures } from '../../../../store/nudge-stats.js';
import { dataTable } from '../../ui/data-table.js';
import { html, type Html } from '../../ui/html.js';

export interface Choices {
  /** the viewer's groups (every group for an administrator) */
  groups: Group[];
  /** the group chosen, '' for all the viewer may see */
  group: string;
  days: number;
  filter: FunnelFilter;
  admin: boolean;
}

const LANG_NAMES: Record<string, string> = { es: 'Español', ay: 'Aymar aru', qu: 'Runa simi' };
const CHANNEL_NAMES: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp' };

/** The query string of the current choices, for links and the CSV. */
function queryOf({ group, days, filter }: Choices): string {
  const params = new URLSearchParams();
  if (group) params.set('group', group);
  if (filter.lang) params.set('lang', filter.lang);
  if (filter.channel) params.set('channel', filter.channel);
  if (days !== 30) params.set('days', String(days));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function option(value: string, label: string, chosen: string | undefined): Html {
  return value === (chosen ?? '')
    ? html`<option value="${value}" selected>${label}</option>`
    : html`<option value="${value}">${label}</option>`;
}

function filterForm(action: string, choices: Choices): Html {
  const everyone = choices.admin ? 'Todas las personas' : 'Todos mis grupos';
  return html`<form method="get" action="${action}" class="filters">
    <label
      >Grupo
      <select name="group">
        ${option('', everyone, choices.group)}
        ${choices.groups.map((g) => option(g.id, g.name, choices.group))}
      </select></label
    >
    <label
      >Idioma
      <select name="lang">
        ${option('', 'Todos', choices.filter.lang)}
        ${Object.entries(LANG_NAMES).map(([v, l]) => option(v, l, choices.filter.lang))}
      </select></label
    >
    <label
      >Canal
      <select name="channel">
        ${option('', 'Todos', choices.filter.channel)}
        ${Object.entries(CHANNEL_NAMES).map(([v, l]) => option(v, l, choices.filter.channel))}
      </select></label
    >
    <label>Días <input name="days" type="number" min="1" max="90" value="${choices.days}" /></label>
    <button type="submit">Ver</button>
  </form>`;
}

const pct = (part: number, whole: number) => (whole ? `${Math.round((100 * part) / whole)} %` : '—');

function nudgeSection(figures: NudgeFigures, days: number): Html {
  return html`<section aria-labelledby="nudges-h">
    <h2 id="nudges-h">Recordatorios automáticos</h2>
    <p>
      En los últimos ${days} días: <strong>${figures.sent}</strong> enviados,
      <strong>${figures.back}</strong> personas volvieron a escribir dentro de las 24 horas
      (${pct(figures.back, figures.sent)}), ${figures.skipped} no enviados por un quiz en curso.
    </p>
  </section>`;
}

export function funnelIndexBody(view: {
  choices: Choices;
  reports: FunnelReport[];
  titleOf: (flow: string) => string;
  nudges: NudgeFigures;
}): Html {
  const { choices, reports, titleOf } = view;
  const query = queryOf(choices);
  const rows = reports.map((r) => {
    const most = r.steps.find((s) => s.mostStop);
    return html`<tr>
      <td><a href="/console/funnel/${r.flow}${query}">${titleOf(r.flow)}</a></td>
      <td class="n">${r.started}</td>
      <td class="n">${r.finished}</td>
      <td class="n">${pct(r.finished, r.started)}</td>
      <td>${most ? `paso ${most.n} (${most.stopped})` : '—'}</td>
    </tr>`;
  });
  return html`<h1>Dónde se detienen</h1>
    <p>Cifras contadas por día, sin nombres: nadie aparece en ellas. Se guardan 90 días.</p>
    ${filterForm('/console/funnel', choices)} ${nudgeSection(view.nudges, choices.days)}
    <section aria-labelledby="lessons-h">
      <h2 id="lessons-h">Por lección</h2>
      ${dataTable(
        'Por lección',
        [
          { title: 'Lección' },
          { title: 'Empezaron', numeric: true },
          { title: 'Terminaron', numeric: true },
          { title: 'Terminaron (%)', numeric: true },
          { title: 'Donde más se detienen' },
        ],
        rows,
      )}
    </section>`;
}

function stepRow(step: FunnelStep, text: string): Html {
  const q = step.question;
  const mark = step.mostStop ? html`<strong>⚑ ${step.stopped}</strong>` : String(step.stopped);
  return html`<tr${step.mostStop ? html` class="most-stop"` : ''}>
    <td class="n">${step.n}</td>
    <td>${text.length > 70 ? `${text.slice(0, 69)}…` : text}</td>
    <td class="n">${step.reached}</td>
    <td class="n">${mark}</td>
    <td class="n">${q?.rightPct === null || !q ? '' : `${q.rightPct} %`}</td>
    <td>${q?.topWrong ? `opción ${q.topWrong.option} (${q.topWrong.count})` : ''}</td>
  </tr>`;
}

export function funnelFlowBody(view: {
  choices: Choices;
  report: FunnelReport;
  title: string;
  stepText: (stepId: string) => string;
}): Html {
  const { choices, report, title } = view;
  const query = queryOf(choices);
  return html`<p><a href="/console/funnel${query}">← Todas las lecciones</a></p>
    <h1>${title}</h1>
    ${filterForm(`/console/funnel/${report.flow}`, choices)}
    <p>
      <strong>${report.started}</strong> empezaron, <strong>${report.finished}</strong> terminaron. ⚑ marca el
      paso donde más personas se detienen.
    </p>
    <section aria-labelledby="steps-h">
      <div class="head">
        <h2 id="steps-h">Paso a paso</h2>
        <a href="/console/funnel/${report.flow}.csv${query}" download
          >CSV<span class="skip"> de los pasos</span></a
        >
      </div>
      ${dataTable(
        'Paso a paso',
        [
          { title: 'Paso', numeric: true },
          { title: 'Texto' },
          { title: 'Llegaron', numeric: true },
          { title: 'Se detuvieron', numeric: true },
          { title: 'Bien al primer intento', numeric: true },
          { title: 'Respuesta incorrecta más elegida' },
        ],
        report.steps.map((s) => stepRow(s, view.stepText(s.id))),
      )}
    </section>`;
}
