/** The conversation engine as a Fastify decoration: content, machine, store and lock wired up. */
import fp from 'fastify-plugin';
import type { ContentRuntime } from '../content/runtime.js';
import { createConversationEngine } from '../conversation/create-engine.js';
import type { ConversationEngine } from '../conversation/engine.js';
import type { CompletionStore } from '../store/completion-store.js';
import type { Keys } from '../store/keys.js';
import type { SessionStore } from '../store/session-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    engine: ConversationEngine;
    sessions: SessionStore;
    completions: CompletionStore;
    keys: Keys;
    content: ContentRuntime;
  }
}

export interface ConversationPluginOptions {
  runtime: ContentRuntime;
  keyPrefix: string;
  resumeAfterMs: number;
  clock?: () => number;
}

export default fp<ConversationPluginOptions>(
  async (app, { runtime, keyPrefix, resumeAfterMs, clock }) => {
    const { engine, sessions, completions, keys } = createConversationEngine(runtime, app.redis, {
      keyPrefix,
      resumeAfterMs,
      clock,
    });
    app.decorate('engine', engine);
    app.decorate('sessions', sessions);
    app.decorate('completions', completions);
    app.decorate('keys', keys);
    app.decorate('content', runtime);
  },
  { name: 'conversation', dependencies: ['redis'] },
);
