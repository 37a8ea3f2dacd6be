/**
 * A group's progress at a glance (the progress report of src/groups/progress-report.ts, scoped to
 * the viewer's groups), and a CSV of each chart's figures; the member table's CSV is the console
 * API's progress.csv.
 */
import type { FastifyInstance } from 'fastify';
import { qualifyKey } from '../../../../flows/course.js';
import { csvLine } from '../../../../groups/progress-csv.js';
import { scopeOf, sessionOf, type ConsoleContext } from '../../context.js';
import { notFound, sendPage } from '../../ui/respond.js';
import { chartTables, CHARTS, type ChartName } from './chart-tables.js';
import { progressBody } from './view.js';

const NOT_YOURS = 'No hay un grupo suyo con ese enlace.';

export async function progressRoutes(app: FastifyInstance, context: ConsoleContext) {
  const { assets } = context;
  const { course, translator } = context.content;
  const areas = course.assessment.areas.map((a) => ({
    id: a.id,
    label: translator.t('es', qualifyKey(course.assessment.id, a.label)),
  }));

  app.get('/console/groups/:id/progress', async (request, reply) => {
    const session = sessionOf(request);
    const { id } = request.params as { id: string };
    const found = await scopeOf(context, request).progress.report(id);
    if (!found) return notFound(reply, assets, session, NOT_YOURS);
    const { group, report } = found;
    const body = progressBody({ group, report, tables: chartTables(report, areas), tz: context.tz });
    return sendPage(reply, assets, { title: `Progreso de ${group.name}`, session, nav: 'groups', body });
  });

  app.get('/console/groups/:id/progress/:chart', async (request, reply) => {
    const { id, chart } = request.params as { id: string; chart: string };
    const name = chart.replace(/\.csv$/, '') as ChartName;
    if (!chart.endsWith('.csv') || !CHARTS.includes(name))
      return notFound(reply, assets, request.consoleSession, 'No hay tal archivo.');
    const found = await scopeOf(context, request).progress.report(id);
    if (!found) return notFound(reply, assets, request.consoleSession, NOT_YOURS);
    const table = chartTables(found.report, areas)[name];
    const text = [table.header, ...table.rows].map((row) => csvLine(row.map(String))).join('');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="group-${found.group.id}-${name}.csv"`)
      .send(text);
  });
}
