/**
 * Nudges for learners who go quiet mid-lesson (`app.nudges`): the policy from NUDGE_AFTER,
 * NUDGE_QUIET_HOURS and TZ (the engine schedules with it), and the worker that finds due nudges
 * and hands them to the outbound sender, running in this process when OUTBOUND_WORKER is true
 * and the sender can send.
 */
import fp from 'fastify-plugin';
import { isLocalMode, type Config } from '../config.js';
import { NudgePolicy } from '../conversation/nudge-policy.js';
import { NudgeWorker } from '../nudges/nudge-worker.js';

declare module 'fastify' {
  interface FastifyInstance {
    nudges: { policy: NudgePolicy; worker: NudgeWorker };
  }
}

export function nudgePolicyOf(config: Config): NudgePolicy {
  return new NudgePolicy({ delays: config.NUDGE_AFTER, quiet: config.NUDGE_QUIET_HOURS, tz: config.TZ });
}

export default fp(
  async (app) => {
    const { config, content, stores } = app;
    const policy = nudgePolicyOf(config);
    const worker = new NudgeWorker({
      policy,
      schedule: stores.nudgeSchedule,
      stats: stores.nudgeStats,
      sessions: stores.sessions,
      groups: stores.groups,
      quizStore: stores.quizStore,
      course: content.course,
      words: {
        translator: content.translator,
        spelling: content.spelling,
        templateSid: config.NUDGE_TEMPLATE_SID,
      },
      sender: app.outbound,
      smsFallback: config.NUDGE_SMS_FALLBACK,
      clock: app.clock,
      pollMs: config.NUDGE_POLL_MS,
      log: app.log.child({ component: 'nudges' }),
    });
    app.decorate('nudges', { policy, worker });
    if (config.OUTBOUND_WORKER && policy.enabled && !isLocalMode(config)) worker.start();
    app.addHook('onClose', () => worker.close());
  },
  { name: 'nudges', dependencies: ['config', 'content', 'stores', 'outbound'] },
);
