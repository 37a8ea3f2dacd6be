/**
 * A group's progress page: how many finished each lesson, the share of right answers per lesson
 * (and the group's quizzes), the feasibility check by area, and each member's way through the
 * course, each section with a CSV of its figures beside it.
 */
import type { Group } from '../../../../groups/group-store.js';
import type { MemberProgress, ProgressReport } from '../../../../groups/progress-report.js';
import { barChart, type Bar } from '../../ui/charts.js';
import { dataTable } from '../../ui/data-table.js';
import { html, type Html, type Part } from '../../ui/html.js';
import { channelName } from '../../ui/labels.js';
import { showTime } from '../../ui/time.js';
import type { ChartName, Table } from './chart-tables.js';

interface View {
  group: Group;
  report: ProgressReport;
  tables: Record<ChartName, Table>;
  tz: string;
}

export function progressBody(view: View): Html {
  const { group, report } = view;
  const n = report.members.length;
  return html`<p><a href="/console/groups/${group.id}">← ${group.name}</a></p>
    <h1>Progreso de ${group.name}</h1>
    <p>${n} persona${n === 1 ? '' : 's'} en el grupo. Las cifras se calculan al abrir la página.</p>
    ${lessonsSection(view)} ${startedSection(view)} ${scoresSection(view)} ${feasibilitySection(view)}
    ${membersSection(view)}`;
}

const empty = (text: string) => html`<p class="note">${text}</p>`;

function section(id: string, title: string, csvLink: Part, content: Part): Html {
  return html`<section aria-labelledby="${id}-h">
    <div class="head">
      <h2 id="${id}-h">${title}</h2>
      ${csvLink}
    </div>
    ${content}
  </section>`;
}

function chartCsv(group: Group, name: ChartName, what: string): Html {
  const href = `/console/groups/${group.id}/progress/${name}.csv`;
  return html`<a href="${href}" download>CSV<span class="skip"> de ${what}</span></a>`;
}

/** Bars from a table's rows: the label and value columns, rows without a value left out. */
function bars(table: Table, value: number, text: (row: Table['rows'][number]) => string): Bar[] {
  return table.rows
    .filter((r) => r[value] !== '')
    .map((r) => ({ label: String(r[1]), value: Number(r[value]), text: text(r) }));
}

function lessonsSection({ group, report, tables }: View): Html {
  const n = report.members.length;
  const chart = barChart({
    id: 'c-lessons',
    title: 'Personas que terminaron cada lección',
    description: `De ${n} personas del grupo, cuántas terminaron cada una de las ${report.lessons.length} lecciones.`,
    bars: bars(tables.lessons, 2, (r) => `${r[2]} de ${n}`),
    max: n,
  });
  return section(
    'lessons',
    'Lecciones terminadas',
    chartCsv(group, 'lessons', 'lecciones terminadas'),
    n ? chart : empty('Cuando alguien del grupo termine una lección, aparece aquí.'),
  );
}

/** Who started a lesson and has not finished it, and on which step they stand. */
function startedSection({ report }: View): Html {
  const rows = report.lessons.flatMap((l) => {
    const started = report.members.filter((m) => m.inProgress[l.id]);
    if (started.length === 0) return [];
    const who = started.map((m) => `${m.member} (paso ${m.inProgress[l.id]!.step} de ${l.steps})`).join(', ');
    return [
      html`<tr>
        <td>${l.title}</td>
        <td class="n">${started.length}</td>
        <td>${who}</td>
      </tr>`,
    ];
  });
  const table = dataTable(
    'Empezaron y no terminaron',
    [{ title: 'Lección' }, { title: 'Personas', numeric: true }, { title: 'Quiénes, y en qué paso' }],
    rows,
  );
  return section(
    'started',
    'Empezaron y no terminaron',
    '',
    rows.length ? table : empty('Nadie del grupo tiene una lección a medias.'),
  );
}

function scoresSection(view: View): Html {
  const scoreBars = bars(view.tables.scores, 4, (r) => `${r[4]} %`);
  const chart = scoreBars.length
    ? barChart({
        id: 'c-scores',
        title: 'Respuestas correctas al primer intento, por lección',
        description:
          'Porcentaje de preguntas respondidas bien al primer intento por quienes terminaron cada lección.',
        bars: scoreBars,
        max: 100,
      })
    : empty('Todavía nadie terminó una lección con preguntas.');
  return section(
    'scores',
    'Aciertos por lección',
    chartCsv(view.group, 'scores', 'aciertos por lección'),
    html`${chart}${quizzesTable(view)}`,
  );
}

function quizzesTable({ report, tz }: View): Html | string {
  if (!report.quizzes.length) return '';
  const rows = report.quizzes.map(
    (q) =>
      html`<tr>
        <td>${report.lessons.find((l) => l.id === q.lesson)?.title ?? q.lesson}</td>
        <td>${showTime(q.finishedAt, tz)}</td>
        <td class="n">${q.participants}</td>
        <td class="n">${q.groupScore} %</td>
      </tr>`,
  );
  return html`<h3>Quizzes del grupo</h3>
    ${dataTable(
      'Quizzes del grupo',
      [
        { title: 'Lección' },
        { title: 'Fecha' },
        { title: 'Participaron', numeric: true },
        { title: 'Puntaje', numeric: true },
      ],
      rows,
    )}`;
}

function feasibilitySection({ group, report, tables }: View): Html {
  const feasBars = bars(tables.feasibility, 2, (r) => `${r[2]} %`);
  const took = report.members.filter((m) => m.feasibility).length;
  const content = feasBars.length
    ? html`<p>
          ${took === 1 ? '1 persona hizo' : `${took} personas hicieron`} la evaluación. Promedio por área (100
          % = todo a favor).
        </p>
        ${barChart({
          id: 'c-feas',
          title: 'Factibilidad por área',
          description: 'Puntaje promedio de cada área de la evaluación de factibilidad, en porcentaje.',
          bars: feasBars,
          max: 100,
        })}`
    : empty('Todavía nadie del grupo hizo la evaluación de factibilidad (opción 2 del menú).');
  return section(
    'feasibility',
    '¿Es factible la cooperativa? Resultado por área',
    chartCsv(group, 'feasibility', 'factibilidad por área'),
    content,
  );
}

function membersSection({ group, report, tz }: View): Html {
  const csv = html`<a href="/console/api/groups/${group.id}/progress.csv" download
    >CSV<span class="skip"> de cada persona</span></a
  >`;
  const rows = [...report.members]
    .sort((a, b) => b.lessonsDone - a.lessonsDone)
    .map((m) => memberRow(m, report, tz));
  const table = dataTable(
    'Progreso de cada persona',
    [{ title: 'Número' }, { title: 'Lecciones (en orden)' }, { title: 'Factibilidad', numeric: true }],
    rows,
  );
  return section(
    'members',
    'Cada persona',
    csv,
    report.members.length ? table : empty('Nadie se unió todavía.'),
  );
}

function memberRow(m: MemberProgress, report: ProgressReport, tz: string): Html {
  return html`<tr>
    <td>
      ${m.member}<small class="sub"
        >${channelName(m.channel)} · último mensaje ${showTime(m.lastMessageAt, tz)}</small
      >
    </td>
    <td>${strip(m, report)}<small class="sub">${m.lessonsDone} de ${report.lessons.length}</small></td>
    <td class="n">${m.feasibility ? `${m.feasibility.percent} %` : '—'}</td>
  </tr>`;
}

/** The member's way through the course: one mark per lesson, filled when done. */
function strip(m: MemberProgress, report: ProgressReport): Html {
  return html`<ol class="strip" aria-label="${m.lessonsDone} de ${report.lessons.length} lecciones">
    ${report.lessons.map((l) => html`<li${m.lessons[l.id] ? html` class="d"` : ''} title="${l.title}"></li>`)}
  </ol>`;
}
