/**
 * The opt-out that outlives BORRAR. STOP is remembered in the learner's session; BORRAR deletes
 * the session, so before it does, an opted-out learner's opt-out is kept here on its own, under
 * the learner's keyed id and nothing else. The outbound sender refuses every message to a number
 * that has one, and a new session starts opted out; START (or ALTA) removes it.
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

export class OptOutStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /** Keeps the learner's opt-out past BORRAR. */
  async keep(learner: string): Promise<void> {
    await this.redis.set(this.keys.optOut(learner), '1');
  }

  /** Whether the learner's opt-out was kept past BORRAR. */
  async has(learner: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.optOut(learner))) === 1;
  }

  /** START: the kept opt-out goes. */
  async release(learner: string): Promise<void> {
    await this.redis.del(this.keys.optOut(learner));
  }
}
