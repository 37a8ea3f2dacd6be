// A conversation engine on the test Redis with a clock the test controls.
import type { Redis } from 'ioredis';
import type { ContentRuntime } from '../../src/content/runtime.js';
import { ConversationEngine } from '../../src/conversation/engine.js';
import { Keys } from '../../src/store/keys.js';
import { SenderLock } from '../../src/store/sender-lock.js';
import { SessionStore } from '../../src/store/session-store.js';

export class FakeClock {
  constructor(public now: number) {}
  advance(ms: number): void {
    this.now += ms;
  }
  read = (): number => this.now;
}

export function testEngine(runtime: ContentRuntime, redis: Redis, prefix: string, clock: FakeClock) {
  const keys = new Keys(prefix);
  const sessions = new SessionStore(redis, keys);
  const engine = new ConversationEngine({
    course: runtime.course,
    machine: runtime.machine,
    render: runtime.render,
    lexicon: runtime.lexicon,
    sessions,
    lock: new SenderLock(redis, keys),
    clock: clock.read,
  });
  return { engine, sessions, keys };
}
