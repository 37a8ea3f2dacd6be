/**
 * A group's progress at a glance, from the console's progress API (the admin API's
 * GET /api/groups/:id/progress, scoped to the viewer's groups): how many finished each lesson,
 * the share of right answers per lesson, the feasibility check by area, and each member's way
 * through the course. A CSV of each chart's figures beside it; the member table's CSV is the
 * API's own progress.csv.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { qualifyKey } from '../../../flows/course.js';
import { csvLine } from '../../../groups/progress-csv.js';
import type { MemberProgress } from '../../../groups/progress-report.js';
import { barChart, type Bar } from '../ui/charts.js';
import { callApi, groupFor, notFound, sendPage, sessionOf, type ConsoleDeps } from '../deps.js';
import { html, type Part } from '../ui/html.js';
import { showTime } from '../ui/time.js';

/** What GET /console/api/groups/:id/progress answers (progress-route.ts). */
export interface ProgressReport {
  group: { id: string; name: string; members: number };
  lessons: { id: string; title: string; questions: number }[];
  quizzes: {
    id: string;
    lesson: string;
    finishedAt: string;
    participants: number;
    groupScore: number;
    questions: number;
  }[];
  members: MemberProgress[];
}

type Table = { header: string[]; rows: (string | number)[][] };

/** The three charts' figures, as rows: the charts and their CSV files are drawn from these. */
export function chartTables(
  report: ProgressReport,
  areas: { id: string; label: string }[],
): Record<string, Table> {
  const members = report.members;
  const lessons: Table = {
    header: ['lesson', 'title', 'finished', 'members'],
    rows: report.lessons.map((l) => [
      l.id,
      l.title,
      members.filter((m) => m.lessons[l.id]).length,
      members.length,
    ]),
  };
  const scores: Table = {
    header: ['lesson', 'title', 'right_first_try', 'questions_answered', 'percent', 'members_finished'],
    rows: report.lessons.map((l) => {
      const done = members.map((m) => m.lessons[l.id]).filter((d) => d !== undefined);
      const right = done.reduce((sum, d) => sum + d.right, 0);
      const asked = done.reduce((sum, d) => sum + d.questions, 0);
      return [l.id, l.title, right, asked, asked ? Math.round((right / asked) * 100) : '', done.length];
    }),
  };
  const took = members.filter((m) => m.feasibility);
  const feasibility: Table = {
    header: ['area', 'label', 'average_percent', 'members_who_took_it'],
    rows: areas.map((a) => {
      const values = took
        .map((m) => m.feasibility?.areas[a.id])
        .filter((v): v is number => typeof v === 'number');
      const avg = values.length ? Math.round(values.reduce((s, v) => s + v, 0) / values.length) : '';
      return [a.id, a.label, avg, values.length];
    }),
  };
  return { lessons, scores, feasibility };
}

const CHARTS = ['lessons', 'scores', 'feasibility'] as const;

export async function progressRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  const { course, translator } = deps.content;
  const areas = course.assessment.areas.map((a) => ({
    id: a.id,
    label: translator.t('es', qualifyKey(course.assessment.id, a.label)),
  }));

  const load = async (request: FastifyRequest, reply: FastifyReply) => {
    const { id } = request.params as { id: string };
    const group = await groupFor(deps, sessionOf(request).viewer, id);
    if (!group) {
      notFound(reply, deps, request, 'No hay un grupo suyo con ese enlace.');
      return null;
    }
    const api = await callApi<ProgressReport>(
      app,
      request,
      'GET',
      `/console/api/groups/${group.id}/progress`,
    );
    if (api.status !== 200)
      throw Object.assign(new Error('progress is not available'), { statusCode: api.status });
    return { group, report: api.json };
  };

  app.get('/console/groups/:id/progress', async (request, reply) => {
    const session = sessionOf(request);
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const { group, report } = loaded;
    const tables = chartTables(report, areas);
    const n = report.members.length;
    const base = `/console/groups/${group.id}/progress`;
    const csv = (name: string, what: string) =>
      html`<a href="${base}/${name}.csv" download>CSV<span class="skip"> de ${what}</span></a>`;

    const lessonBars: Bar[] = (tables.lessons?.rows ?? []).map((r) => ({
      label: String(r[1]),
      value: Number(r[2]),
      text: `${r[2]} de ${n}`,
    }));
    const scoreBars: Bar[] = (tables.scores?.rows ?? [])
      .filter((r) => r[4] !== '')
      .map((r) => ({ label: String(r[1]), value: Number(r[4]), text: `${r[4]} %` }));
    const feasBars: Bar[] = (tables.feasibility?.rows ?? [])
      .filter((r) => r[2] !== '')
      .map((r) => ({ label: String(r[1]), value: Number(r[2]), text: `${r[2]} %` }));
    const tookFeasibility = report.members.filter((m) => m.feasibility).length;

    const empty = (text: string) => html`<p class="note">${text}</p>`;
    const section = (id: string, title: string, csvLink: Part, content: Part) =>
      html`<section aria-labelledby="${id}-h">
        <div class="head">
          <h2 id="${id}-h">${title}</h2>
          ${csvLink}
        </div>
        ${content}
      </section>`;

    const strip = (m: ProgressReport['members'][number]) =>
      html`<ol class="strip" aria-label="${m.lessonsDone} de ${report.lessons.length} lecciones">
        ${report.lessons.map(
          (l) => html`<li${m.lessons[l.id] ? html` class="d"` : ''} title="${l.title}"></li>`,
        )}
      </ol>`;
    const memberRows = [...report.members]
      .sort((a, b) => b.lessonsDone - a.lessonsDone)
      .map(
        (m) =>
          html`<tr>
            <td>
              ${m.member}<small class="sub"
                >${m.channel === 'sms' ? 'SMS' : 'WhatsApp'} · último mensaje
                ${showTime(m.lastMessageAt, deps.tz)}</small
              >
            </td>
            <td>${strip(m)}<small class="sub">${m.lessonsDone} de ${report.lessons.length}</small></td>
            <td class="n">${m.feasibility ? `${m.feasibility.percent} %` : '—'}</td>
          </tr>`,
      );

    const quizzes = report.quizzes.length
      ? html`<h3>Quizzes del grupo</h3>
          <div class="scroll" role="region" aria-label="Quizzes del grupo" tabindex="0">
            <table>
              <thead>
                <tr>
                  <th scope="col">Lección</th>
                  <th scope="col">Fecha</th>
                  <th scope="col" class="n">Participaron</th>
                  <th scope="col" class="n">Puntaje</th>
                </tr>
              </thead>
              <tbody>
                ${report.quizzes.map(
                  (q) =>
                    html`<tr>
                      <td>${report.lessons.find((l) => l.id === q.lesson)?.title ?? q.lesson}</td>
                      <td>${showTime(q.finishedAt, deps.tz)}</td>
                      <td class="n">${q.participants}</td>
                      <td class="n">${q.groupScore} %</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
      : '';

    const body = html`<p><a href="/console/groups/${group.id}">← ${group.name}</a></p>
      <h1>Progreso de ${group.name}</h1>
      <p>${n} persona${n === 1 ? '' : 's'} en el grupo. Las cifras se calculan al abrir la página.</p>
      ${section(
        'lessons',
        'Lecciones terminadas',
        csv('lessons', 'lecciones terminadas'),
        n
          ? barChart({
              id: 'c-lessons',
              title: 'Personas que terminaron cada lección',
              description: `De ${n} personas del grupo, cuántas terminaron cada una de las ${report.lessons.length} lecciones.`,
              bars: lessonBars,
              max: n,
            })
          : empty('Cuando alguien del grupo termine una lección, aparece aquí.'),
      )}
      ${section(
        'scores',
        'Aciertos por lección',
        csv('scores', 'aciertos por lección'),
        html`${
          scoreBars.length
            ? barChart({
                id: 'c-scores',
                title: 'Respuestas correctas al primer intento, por lección',
                description:
                  'Porcentaje de preguntas respondidas bien al primer intento por quienes terminaron cada lección.',
                bars: scoreBars,
                max: 100,
              })
            : empty('Todavía nadie terminó una lección con preguntas.')
        }${quizzes}`,
      )}
      ${section(
        'feasibility',
        '¿Es factible la cooperativa? Resultado por área',
        csv('feasibility', 'factibilidad por área'),
        feasBars.length
          ? html`<p>
                ${tookFeasibility === 1 ? '1 persona hizo' : `${tookFeasibility} personas hicieron`} la
                evaluación. Promedio por área (100 % = todo a favor).
              </p>
              ${barChart({
                id: 'c-feas',
                title: 'Factibilidad por área',
                description: 'Puntaje promedio de cada área de la evaluación de factibilidad, en porcentaje.',
                bars: feasBars,
                max: 100,
              })}`
          : empty('Todavía nadie del grupo hizo la evaluación de factibilidad (opción 2 del menú).'),
      )}
      ${section(
        'members',
        'Cada persona',
        html`<a href="/console/api/groups/${group.id}/progress.csv" download
          >CSV<span class="skip"> de cada persona</span></a
        >`,
        n
          ? html`<div class="scroll" role="region" aria-label="Progreso de cada persona" tabindex="0">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Número</th>
                    <th scope="col">Lecciones (en orden)</th>
                    <th scope="col" class="n">Factibilidad</th>
                  </tr>
                </thead>
                <tbody>
                  ${memberRows}
                </tbody>
              </table>
            </div>`
          : empty('Nadie se unió todavía.'),
      )}`;
    return sendPage(reply, deps, { title: `Progreso de ${group.name}`, session, nav: 'groups', body });
  });

  app.get('/console/groups/:id/progress/:chart', async (request, reply) => {
    const { chart } = request.params as { chart: string };
    const name = chart.replace(/\.csv$/, '') as (typeof CHARTS)[number];
    if (!chart.endsWith('.csv') || !CHARTS.includes(name))
      return notFound(reply, deps, request, 'No hay tal archivo.');
    const loaded = await load(request, reply);
    if (!loaded) return reply;
    const table = chartTables(loaded.report, areas)[name] as Table;
    const text = [table.header, ...table.rows].map((row) => csvLine(row.map(String))).join('');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="group-${loaded.group.id}-${name}.csv"`)
      .send(text);
  });
}
