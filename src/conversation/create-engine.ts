/** Wires a conversation engine to Redis: the one way the webhook, the chat and the tests build it. */
import type { Redis } from 'ioredis';
import type { ContentRuntime } from '../content/runtime.js';
import { CompletionStore } from '../store/completion-store.js';
import { Keys } from '../store/keys.js';
import { SenderLock } from '../store/sender-lock.js';
import { SessionStore } from '../store/session-store.js';
import { ConversationEngine } from './engine.js';

export interface EngineOptions {
  keyPrefix: string;
  clock?: () => number;
  resumeAfterMs?: number;
}

export function createConversationEngine(runtime: ContentRuntime, redis: Redis, options: EngineOptions) {
  const keys = new Keys(options.keyPrefix);
  const sessions = new SessionStore(redis, keys);
  const completions = new CompletionStore(redis, keys);
  const engine = new ConversationEngine({
    course: runtime.course,
    machine: runtime.machine,
    render: runtime.render,
    lexicon: runtime.lexicon,
    spelling: runtime.spelling,
    sessions,
    completions,
    lock: new SenderLock(redis, keys),
    clock: options.clock,
    resumeAfterMs: options.resumeAfterMs,
  });
  return { engine, sessions, completions, keys };
}
