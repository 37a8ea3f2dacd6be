/**
 * A learner's session: the machine snapshot and what the webhook needs around it, as one JSON
 * value per learner. One key per learner keeps memory small and makes BORRAR one delete.
 */
import type { Redis } from 'ioredis';
import type { StoredSnapshot } from '../flows/migrate-snapshot.js';
import type { Keyspace } from './keyspace.js';

export interface SessionRecord {
  /** the course version the snapshot was saved under */
  flowVersion: string;
  snapshot: StoredSnapshot;
  /** where to send to this learner: +591… or whatsapp:+591… (the last one they used) */
  address: string;
  lastInboundAt: number;
  optedOut: boolean;
  turns: number;
  /** the last MessageSids handled, oldest first */
  seen: string[];
  /** the replies sent to the newest of `seen`, to answer a retried delivery the same way */
  lastReplies: string[];
}

/** Twilio retries within seconds and its fallback URL right after: a few ids cover that. */
export const REMEMBERED_MESSAGE_IDS = 8;

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
  ) {}

  async load(learner: string): Promise<SessionRecord | null> {
    const raw = await this.redis.get(this.keys.session(learner));
    return raw ? (JSON.parse(raw) as SessionRecord) : null;
  }

  async save(learner: string, record: SessionRecord): Promise<void> {
    await this.redis.set(this.keys.session(learner), JSON.stringify(record));
  }

  /** BORRAR: every key named by the learner (Keyspace.erasedWithLearner), their place in the index and in the due nudges. */
  async deleteAll(learner: string): Promise<void> {
    // One DEL per key: the console's keys are not under the learner's hash tag (Redis Cluster).
    await Promise.all(this.keys.erasedWithLearner(learner).map((key) => this.redis.del(key)));
    await this.redis.srem(this.keys.learners(), learner);
    await this.redis.zrem(this.keys.nudgesDueOf(learner), learner);
  }

  /** Every learner id, a page at a time (SSCAN): broadcasts never hold them all at once. */
  async *learnerPages(pageSize = 500): AsyncGenerator<string[]> {
    let cursor = '0';
    do {
      const [next, page] = await this.redis.sscan(this.keys.learners(), cursor, 'COUNT', pageSize);
      cursor = next;
      if (page.length) yield page;
    } while (cursor !== '0');
  }

  /**
   * Sessions of many learners at once; null where there is none. Separate GETs sent together
   * rather than one MGET, which a Redis Cluster refuses across slots.
   */
  async loadMany(learners: string[]): Promise<(SessionRecord | null)[]> {
    return Promise.all(learners.map((learner) => this.load(learner)));
  }
}
