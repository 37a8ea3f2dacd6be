/**
 * Which messages are still waiting to go to each learner: one small set per learner of the
 * dedupeKeys whose send job has not finished. A waiting job holds the number and the text, so
 * BORRAR reads this set to take the learner's jobs out of the queue (OutboundSender
 * .forgetRecipient). An entry goes when its job finishes; the set expires with the delivery log,
 * so an entry a crash left behind does not stay for ever.
 */
import type { RedisClient } from '../store/redis-client.js';
import type { Keyspace } from '../store/keyspace.js';

const DAY = 24 * 60 * 60 * 1000;

export class PendingSends {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly retentionMs = 30 * DAY,
  ) {}

  /** Notes messages about to be enqueued, each for its learner. */
  async add(entries: readonly { learner: string; dedupeKey: string }[]): Promise<void> {
    await Promise.all(
      entries.map(({ learner, dedupeKey }) => {
        const key = this.keys.learnerOutbox(learner);
        return this.redis.multi().sadd(key, dedupeKey).pexpire(key, this.retentionMs).exec();
      }),
    );
  }

  /** The message's job finished (sent, skipped, failed): nothing of it waits any more. */
  async remove(learner: string, dedupeKey: string): Promise<void> {
    await this.redis.srem(this.keys.learnerOutbox(learner), dedupeKey);
  }

  /** The dedupeKeys of the learner's messages still waiting. */
  async of(learner: string): Promise<string[]> {
    return this.redis.smembers(this.keys.learnerOutbox(learner));
  }

  async forget(learner: string): Promise<void> {
    await this.redis.del(this.keys.learnerOutbox(learner));
  }
}
