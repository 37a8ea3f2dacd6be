/**
 * Broadcasts in Redis: each broadcast's record, the occurrences started and each one's fan-out
 * progress, all under the broadcast's `{bc:<id>}` hash tag; and, untagged, each Idempotency-Key's
 * broadcast, for 24 hours. The key names are in src/store/keyspace.ts.
 *
 * The cursor is saved after each page is handed to the sender: a fan-out job retried after a
 * crash continues from the last saved page, and redoes at most one page, which the sender's
 * dedupe makes harmless.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../store/redis-client.js';
import type { Keyspace } from '../store/keyspace.js';
import type { Broadcast } from './broadcast.js';
import type { PageCursor } from './recipients.js';

export interface OccurrenceProgress {
  /** where the next page starts; null before the first page */
  cursor: PageCursor | null;
  done: boolean;
  pages: number;
  startedAt: number | null;
  finishedAt: number | null;
}

const DAY = 24 * 60 * 60 * 1000;

export class BroadcastStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly retentionMs = 30 * DAY,
  ) {}

  private info(id: string): string {
    return this.keys.broadcast(id);
  }
  private occurrencesKey(id: string): string {
    return this.keys.broadcastOccurrences(id);
  }
  private progressKey(id: string, occurrence: string): string {
    return this.keys.broadcastProgress(id, occurrence);
  }
  private idempotencyKey(key: string): string {
    return this.keys.broadcastIdempotency(sha256(key));
  }

  /** Saves a new broadcast; a second save of the same id keeps the first (and its state). */
  async create(broadcast: Broadcast): Promise<boolean> {
    const created = await this.redis.hsetnx(this.info(broadcast.id), 'json', JSON.stringify(broadcast));
    await this.redis.hsetnx(this.info(broadcast.id), 'state', 'active');
    return created === 1;
  }

  async get(id: string): Promise<{ broadcast: Broadcast; cancelled: boolean } | null> {
    const [json, state] = await this.redis.hmget(this.info(id), 'json', 'state');
    if (!json) return null;
    return { broadcast: JSON.parse(json) as Broadcast, cancelled: state === 'cancelled' };
  }

  async isCancelled(id: string): Promise<boolean> {
    return (await this.redis.hget(this.info(id), 'state')) === 'cancelled';
  }

  /** Marks it cancelled; false if it already was. */
  async cancel(id: string, at: number): Promise<boolean> {
    const previous = await this.redis.hget(this.info(id), 'state');
    if (previous === 'cancelled') return false;
    await this.redis.hset(this.info(id), 'state', 'cancelled', 'cancelledAt', String(at));
    return true;
  }

  /**
   * Ties an Idempotency-Key to a broadcast id, or answers the id (and body hash) it is tied to.
   * `fresh`: this call tied it.
   */
  async claimIdempotency(
    key: string,
    id: string,
    bodyHash: string,
    ttlMs = DAY,
  ): Promise<{ id: string; bodyHash: string; fresh: boolean }> {
    const redisKey = this.idempotencyKey(key);
    const set = await this.redis.set(redisKey, `${id} ${bodyHash}`, 'PX', ttlMs, 'NX');
    if (set === 'OK') return { id, bodyHash, fresh: true };
    const stored = (await this.redis.get(redisKey)) ?? `${id} ${bodyHash}`;
    const [storedId = id, storedHash = ''] = stored.split(' ');
    return { id: storedId, bodyHash: storedHash, fresh: false };
  }

  // ---- occurrences --------------------------------------------------------------------------

  /** Records that an occurrence started (once); its progress is kept for the retention period. */
  async startOccurrence(id: string, occurrence: string, at: number): Promise<void> {
    await this.redis.zadd(this.occurrencesKey(id), 'NX', at, occurrence);
    await this.redis.hsetnx(this.progressKey(id, occurrence), 'startedAt', String(at));
    await this.redis.pexpire(this.progressKey(id, occurrence), this.retentionMs);
  }

  /** The occurrences started, oldest first (the newest `limit`). */
  async occurrences(id: string, limit = 1000): Promise<{ occurrence: string; at: number }[]> {
    const raw = await this.redis.zrange(this.occurrencesKey(id), -limit, -1, 'WITHSCORES');
    const list: { occurrence: string; at: number }[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) list.push({ occurrence: raw[i]!, at: Number(raw[i + 1]) });
    return list;
  }

  async progress(id: string, occurrence: string): Promise<OccurrenceProgress> {
    const raw = await this.redis.hgetall(this.progressKey(id, occurrence));
    return {
      cursor: raw.cursor ? (JSON.parse(raw.cursor) as PageCursor) : null,
      done: raw.done === '1',
      pages: Number(raw.pages ?? 0),
      startedAt: raw.startedAt ? Number(raw.startedAt) : null,
      finishedAt: raw.finishedAt ? Number(raw.finishedAt) : null,
    };
  }

  /** After a page went to the sender: where the next one starts. */
  async savePage(id: string, occurrence: string, next: PageCursor): Promise<void> {
    await this.redis
      .multi()
      .hset(this.progressKey(id, occurrence), 'cursor', JSON.stringify(next))
      .hincrby(this.progressKey(id, occurrence), 'pages', 1)
      .exec();
  }

  async finishOccurrence(id: string, occurrence: string, at: number): Promise<void> {
    await this.redis.hset(this.progressKey(id, occurrence), 'done', '1', 'finishedAt', String(at));
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
