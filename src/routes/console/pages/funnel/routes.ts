/**
 * Where learners stop: per lesson (and the feasibility check) how many started, reached each
 * step and finished, the step where most stop, and per question the share right at the first
 * try and the wrong option chosen most; beside it, what nudges did. An administrator sees every
 * learner, a coordinator the learners of their groups; either may narrow it to one group, a
 * language and a channel. Each table has a CSV with the same figures. Counters only (src/store/
 * funnel-store.ts): nobody is listed.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { qualifyKey } from '../../../../flows/course.js';
import { funnelReport, funnelRows, type FunnelFilter } from '../../../../groups/funnel-report.js';
import { csvLine } from '../../../../groups/progress-csv.js';
import type { NudgeFigures } from '../../../../store/nudge-stats.js';
import { scopeOf, sessionOf, type ConsoleContext } from '../../context.js';
import { one } from '../../ui/form.js';
import { notFound, sendPage } from '../../ui/respond.js';
import { funnelFlowBody, funnelIndexBody, type Choices } from './view.js';

const LANGS = ['es', 'ay', 'qu'];
const CHANNELS = ['sms', 'whatsapp'];

export async function funnelRoutes(app: FastifyInstance, context: ConsoleContext) {
  const { course, translator } = context.content;
  const { funnel, nudges, clock } = context.insight;
  const flows = [...course.lessons, course.assessment];
  const titleOf = (id: string) => {
    const flow = course.flow(id);
    return flow ? translator.t('es', qualifyKey(flow.id, flow.title)) : id;
  };

  /** The viewer's filter from the query: a group only if it is theirs (else null: not found). */
  const choicesOf = async (request: FastifyRequest): Promise<Choices | null> => {
    const query = request.query as Record<string, unknown>;
    const scope = scopeOf(context, request);
    const groups = await scope.groups.list();
    const group = one(query.group);
    const lang = one(query.lang);
    const channel = one(query.channel);
    const days = Math.min(90, Math.max(1, Number(one(query.days)) || 30));
    if (group && !groups.some((g) => g.id === group)) return null;
    const counted = group ? [group] : scope.admin ? null : groups.map((g) => g.id);
    const filter: FunnelFilter = {
      groups: counted,
      lang: LANGS.includes(lang) ? lang : undefined,
      channel: CHANNELS.includes(channel) ? channel : undefined,
    };
    return { groups, group, days, filter, admin: scope.admin };
  };

  const nudgeFigures = async (choices: Choices): Promise<NudgeFigures> => {
    const ids = choices.filter.groups;
    if (ids === null) return nudges.figures(clock(), choices.days, null);
    const each = await Promise.all(ids.map((id) => nudges.figures(clock(), choices.days, id)));
    return each.reduce(
      (a, b) => ({ sent: a.sent + b.sent, skipped: a.skipped + b.skipped, back: a.back + b.back }),
      {
        sent: 0,
        skipped: 0,
        back: 0,
      },
    );
  };

  app.get('/console/funnel', async (request, reply) => {
    const session = sessionOf(request);
    const choices = await choicesOf(request);
    if (!choices) return notFound(reply, context.assets, session, 'No hay un grupo suyo con ese enlace.');
    const reports = await Promise.all(
      flows.map(async (flow) =>
        funnelReport(flow, await funnel.read(flow.id, clock(), choices.days), choices.filter),
      ),
    );
    const body = funnelIndexBody({ choices, reports, titleOf, nudges: await nudgeFigures(choices) });
    return sendPage(reply, context.assets, { title: 'Dónde se detienen', session, nav: 'funnel', body });
  });

  app.get('/console/funnel/:flow', async (request, reply) => {
    const session = sessionOf(request);
    const name = (request.params as { flow: string }).flow;
    const csv = name.endsWith('.csv');
    const flow = course.flow(name.replace(/\.csv$/, ''));
    const choices = await choicesOf(request);
    if (!flow || !choices) return notFound(reply, context.assets, session, 'No hay tal lección o grupo.');
    const report = funnelReport(flow, await funnel.read(flow.id, clock(), choices.days), choices.filter);
    if (csv) {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="funnel-${flow.id}.csv"`)
        .send(funnelRows(report).map(csvLine).join(''));
    }
    const stepText = (stepId: string) => {
      const step = flow.steps.find((s) => s.id === stepId);
      return step ? translator.t('es', qualifyKey(flow.id, step.text)) : stepId;
    };
    const body = funnelFlowBody({ choices, report, title: titleOf(flow.id), stepText });
    return sendPage(reply, context.assets, {
      title: `Dónde se detienen: ${titleOf(flow.id)}`,
      session,
      nav: 'funnel',
      body,
    });
  });
}
