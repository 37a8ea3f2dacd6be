/**
 * The conversation engine as a Fastify decoration, with the stores it shares with the admin API
 * (sessions, completion codes, groups, coordinators) and, when an outbound sender is registered
 * (`app.outbound`), group quizzes with their timers.
 */
import fp from 'fastify-plugin';
import type { ContentRuntime } from './content-runtime.js';
import { createConversationEngine } from './create-engine.js';
import type { ConversationEngine } from '../conversation/engine.js';
import type { CoordinatorStore } from '../groups/coordinator-store.js';
import type { GroupDesk } from '../groups/group-desk.js';
import type { GroupStore } from '../groups/group-store.js';
import type { QuizRunner } from '../groups/quiz/quiz-runner.js';
import { QuizTimers } from '../groups/quiz/quiz-timers.js';
import type { CompletionStore } from '../store/completion-store.js';
import type { Keys } from '../store/keys.js';
import type { SessionStore } from '../store/session-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    engine: ConversationEngine;
    sessions: SessionStore;
    completions: CompletionStore;
    groups: GroupStore;
    coordinators: CoordinatorStore;
    groupDesk: GroupDesk;
    quizzes: QuizRunner | null;
    keys: Keys;
    content: ContentRuntime;
  }
}

export interface ConversationPluginOptions {
  runtime: ContentRuntime;
  keyPrefix: string;
  redisUrl: string;
  resumeAfterMs: number;
  quizTimeoutMs: number;
  /** run the quiz timer worker in this process */
  runWorker: boolean;
  clock?: () => number;
}

export default fp<ConversationPluginOptions>(
  async (app, options) => {
    const outbox = app.hasDecorator('outbound') ? app.outbound : null;
    const timers = outbox
      ? new QuizTimers({ redisUrl: options.redisUrl, keyPrefix: options.keyPrefix })
      : null;
    const wired = createConversationEngine(options.runtime, app.redis, {
      keyPrefix: options.keyPrefix,
      resumeAfterMs: options.resumeAfterMs,
      clock: options.clock,
      outbox,
      timers,
      quizTimeoutMs: options.quizTimeoutMs,
    });
    if (timers && wired.quizzes && options.runWorker) {
      const quizzes = wired.quizzes;
      timers.start((job) => quizzes.close(job));
    }
    if (timers) app.addHook('onClose', () => timers.close());
    app.decorate('engine', wired.engine);
    app.decorate('sessions', wired.sessions);
    app.decorate('completions', wired.completions);
    app.decorate('groups', wired.groups);
    app.decorate('coordinators', wired.coordinators);
    app.decorate('groupDesk', wired.desk);
    app.decorate('quizzes', wired.quizzes);
    app.decorate('keys', wired.keys);
    app.decorate('content', options.runtime);
  },
  { name: 'conversation', dependencies: ['redis'] },
);
