/**
 * The learner index: every learner id, for broadcasts to everyone (and filter targets) to page
 * through. It is LEARNER_INDEX_BUCKETS sets, each with its own hash tag, so that under Redis
 * Cluster no one slot (one master) holds a million ids; a learner's bucket comes from their id
 * (Keyspace.learnerIndex). Readers page bucket after bucket (broadcasts/recipients.ts keeps the
 * bucket number and the SSCAN cursor, so a fan-out resumes where it stopped).
 *
 * Before the buckets the index was one set (Keyspace.legacyLearners). moveLegacy() empties it
 * into the buckets; every process runs it once Redis is reachable (plugins/stores.ts). Until it
 * has, readers page the old set after the buckets, so a broadcast still reaches everyone; an id
 * met twice is sent to once (the sender's dedupe).
 */
import type { Keyspace } from './keyspace.js';
import type { RedisClient } from './redis-client.js';

/** The key names the index needs. */
export type LearnerIndexKeys = Pick<Keyspace, 'learnerIndex' | 'learnerIndexBuckets' | 'legacyLearners'>;

export class LearnerIndex {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: LearnerIndexKeys,
  ) {}

  /** Every set a reader pages, in order: the buckets, then the old single set while it exists. */
  sets(): string[] {
    return [...this.keys.learnerIndexBuckets(), this.keys.legacyLearners()];
  }

  async add(learner: string): Promise<void> {
    await this.redis.sadd(this.keys.learnerIndex(learner), learner);
  }

  /** BORRAR and test chats: out of their bucket, and out of the old set should it still hold them. */
  async remove(learner: string): Promise<void> {
    // Two commands, not one MULTI: the keys are in different slots. Auto-pipelining sends them together.
    await Promise.all([
      this.redis.srem(this.keys.learnerIndex(learner), learner),
      this.redis.srem(this.keys.legacyLearners(), learner),
    ]);
  }

  async has(learner: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.learnerIndex(learner), learner)) === 1;
  }

  /** How many learners (an id still in the old set as well as a bucket counts twice, briefly). */
  async count(): Promise<number> {
    const counts = await Promise.all(this.sets().map((key) => this.redis.scard(key)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Every learner id, a page at a time (SSCAN), bucket after bucket; never all at once. */
  async *pages(pageSize = 500): AsyncGenerator<string[]> {
    for (const key of this.sets()) {
      let cursor = '0';
      do {
        const [next, page] = await this.redis.sscan(key, cursor, 'COUNT', pageSize);
        cursor = next;
        if (page.length) yield page;
      } while (cursor !== '0');
    }
  }

  /**
   * Moves the ids of the old single set into their buckets, a page at a time: each page is added
   * to its buckets before it leaves the old set, so a crash midway loses nobody, and running it
   * again (or in several processes at once) only repeats idempotent steps. Returns how many moved.
   */
  async moveLegacy(pageSize = 1_000): Promise<number> {
    const legacy = this.keys.legacyLearners();
    let moved = 0;
    for (;;) {
      const page = await this.redis.srandmember(legacy, pageSize);
      if (page.length === 0) return moved;
      await Promise.all(page.map((learner) => this.add(learner)));
      await this.redis.srem(legacy, ...page);
      moved += page.length;
    }
  }
}
