/**
 * A learner's session: the machine snapshot and what the webhook needs around it, as one JSON
 * value per learner. One key per learner keeps memory small and makes BORRAR one delete.
 */
import type { RedisClient } from './redis-client.js';
import type { Language } from '../content/locale-schema.js';
import type { StoredSnapshot } from '../flows/migrate-snapshot.js';
import type { Keyspace } from './keyspace.js';
import { LearnerIndex } from './learner-index.js';

export interface SessionRecord {
  /** the course version the snapshot was saved under */
  flowVersion: string;
  snapshot: StoredSnapshot;
  /** where to send to this learner: +591… or whatsapp:+591… (the last one they used) */
  address: string;
  lastInboundAt: number;
  optedOut: boolean;
  turns: number;
  /**
   * the newest MessageSid handled (REMEMBERED_MESSAGE_IDS of them, oldest first); every older one
   * is in the replay log (Keyspace.replayLog), which decides whether a message was handled
   */
  seen: string[];
  /** the replies sent to the newest of `seen`, to answer a retried delivery the same way */
  lastReplies: string[];
  /** the text (`namespace:key`) the learner last received, in its language: what CORREGIR points at */
  lastText?: { key: string; lang: Language };
  /** the languages whose "these texts are new, send CORREGIR" notice the learner has had */
  draftNoticed?: Language[];
}

/**
 * Only the newest id: its replies (lastReplies) answer a retried delivery of it. Whether any
 * message was handled before is the replay log's job, which keeps every id's 6-byte fingerprint;
 * keeping eight 34-character ids here as well cost 260 bytes per learner for nothing (the
 * memory target is 1.5 KB per learner, tests/http/replay.test.ts).
 */
export const REMEMBERED_MESSAGE_IDS = 1;

export class SessionStore {
  /** every learner id, in buckets (learner-index.ts) */
  readonly index: LearnerIndex;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {
    this.index = new LearnerIndex(redis, keys);
  }

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
    await this.index.remove(learner);
    await this.redis.zrem(this.keys.nudgesDueOf(learner), learner);
  }

  /**
   * Sessions of many learners at once; null where there is none. Separate GETs sent together
   * rather than one MGET, which a Redis Cluster refuses across slots.
   */
  async loadMany(learners: string[]): Promise<(SessionRecord | null)[]> {
    return Promise.all(learners.map((learner) => this.load(learner)));
  }
}
