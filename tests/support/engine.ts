// A conversation engine on the test Redis with a clock the test controls.
import type { Redis } from 'ioredis';
import type { ContentRuntime } from '../../src/plugins/content-runtime.js';
import { createConversationEngine } from '../../src/plugins/create-engine.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { testPersonIds } from './person-ids.js';

export class FakeClock {
  constructor(public now: number) {}
  advance(ms: number): void {
    this.now += ms;
  }
  read = (): number => this.now;
}

export function testEngine(runtime: ContentRuntime, redis: Redis, prefix: string, clock: FakeClock) {
  const stores = createStores(redis, new Keyspace(prefix), testPersonIds, { clock: clock.read });
  return createConversationEngine(runtime, stores, { clock: clock.read });
}
