/**
 * The conversation engine as a Fastify decoration (`app.engine`), with the group desk
 * (`app.groupDesk`) and group quizzes with their timers (`app.quizzes`), on the app's stores
 * and outbound sender.
 *
 * Registered after the broadcasts plugin, so the desk gets its AVISO sender when it is built:
 * broadcasts need only the stores and the outbound sender, never the engine, so building them
 * first leaves no dependency to close later with a setter.
 */
import fp from 'fastify-plugin';
import { createConversationEngine } from './create-engine.js';
import { createNoticeSender } from '../broadcasts/notices.js';
import type { ConversationEngine } from '../conversation/engine.js';
import type { GroupDesk } from '../groups/group-desk.js';
import type { QuizRunner } from '../groups/quiz/quiz-runner.js';
import { QuizTimers } from '../groups/quiz/quiz-timers.js';
import { redisTargetOf } from '../store/redis-client.js';
import { nudgePolicyOf } from './nudges.js';

declare module 'fastify' {
  interface FastifyInstance {
    engine: ConversationEngine;
    groupDesk: GroupDesk;
    /** runs group quizzes; null only where no outbound sender is wired (never in the app) */
    quizzes: QuizRunner | null;
  }
}

export default fp(
  async (app) => {
    const { config, content } = app;
    const timers = new QuizTimers({ redisTarget: redisTargetOf(config), keys: app.keyspace });
    const wired = createConversationEngine(content, app.stores, {
      resumeAfterMs: config.RESUME_AFTER_HOURS * 60 * 60 * 1000,
      clock: app.clock,
      outbox: app.outbound,
      timers,
      quizTimeoutMs: config.QUIZ_TIMEOUT_SECONDS * 1000,
      notices: createNoticeSender(app.broadcasts, content.translator),
      nudgePolicy: nudgePolicyOf(config),
      timeZone: config.TZ,
    });
    const quizzes = wired.quizzes;
    if (quizzes && config.OUTBOUND_WORKER) timers.start((job) => quizzes.close(job));
    app.addHook('onClose', () => timers.close());
    app.decorate('engine', wired.engine);
    app.decorate('groupDesk', wired.desk);
    app.decorate('quizzes', quizzes);
  },
  { name: 'conversation', dependencies: ['config', 'content', 'stores', 'outbound', 'broadcasts'] },
);
