/** The conversation engine as a Fastify decoration: content, machine, store and lock wired up. */
import fp from 'fastify-plugin';
import type { ContentRuntime } from '../content/runtime.js';
import { ConversationEngine } from '../conversation/engine.js';
import { Keys } from '../store/keys.js';
import { SenderLock } from '../store/sender-lock.js';
import { SessionStore } from '../store/session-store.js';

declare module 'fastify' {
  interface FastifyInstance {
    engine: ConversationEngine;
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
    const keys = new Keys(keyPrefix);
    const engine = new ConversationEngine({
      course: runtime.course,
      machine: runtime.machine,
      render: runtime.render,
      lexicon: runtime.lexicon,
      sessions: new SessionStore(app.redis, keys),
      lock: new SenderLock(app.redis, keys),
      resumeAfterMs,
      clock,
    });
    app.decorate('engine', engine);
  },
  { name: 'conversation', dependencies: ['redis'] },
);
