/**
 * Which console user sent which broadcast. The broadcasts service keeps no owner and has no list,
 * so the console records each one it creates: who (an owner id: 'admin' or the coordinator's
 * keyed id), when, and a short summary for the list. A coordinator sees and cancels only their
 * own; an administrator sees every one sent from the console.
 */
import type { RedisClient } from '../../store/redis-client.js';
import type { PersonIds } from '../../privacy/person-ids.js';
import type { Keyspace } from '../../store/keyspace.js';
import { ownerOf, type Viewer } from './auth.js';

export interface OwnedBroadcast {
  id: string;
  owner: string;
  createdAt: number;
  /** the Spanish text, cut short */
  summary: string;
  /** who it went to, in words */
  target: string;
}

/** Kept as long as the broadcast's delivery log (30 days). */
const RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export class BroadcastOwners {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Pick<Keyspace, 'consoleBroadcast' | 'consoleBroadcasts'>,
    private readonly ids: Pick<PersonIds, 'learnerId'>,
  ) {}

  /** Who owns what in the console's keys: 'admin', or the coordinator's keyed id. */
  ownerOf(viewer: Viewer): string {
    return ownerOf(viewer, this.ids);
  }

  private record(id: string): string {
    return this.keys.consoleBroadcast(id);
  }

  private index(owner: string): string {
    return this.keys.consoleBroadcasts(owner);
  }

  async add(entry: OwnedBroadcast): Promise<void> {
    const { id, owner, createdAt, summary, target } = entry;
    const cutoff = createdAt - RETENTION_MS;
    // The record and the two lists are in different hash slots, so no one MULTI holds them all
    // (Redis Cluster refuses it): the record first, in a MULTI of its own so it never lacks its
    // expiry, then the lists; a list entry whose record is gone is skipped when read.
    const record = this.record(id);
    await this.redis
      .multi()
      .hset(record, { owner, createdAt: String(createdAt), summary, target })
      .pexpire(record, RETENTION_MS)
      .exec();
    await Promise.all(
      [this.index(owner), this.index('all')].map((list) =>
        this.redis.multi().zadd(list, createdAt, id).zremrangebyscore(list, '-inf', cutoff).exec(),
      ),
    );
  }

  async get(id: string): Promise<OwnedBroadcast | null> {
    const raw = await this.redis.hgetall(this.record(id));
    if (!raw.owner) return null;
    return {
      id,
      owner: raw.owner,
      createdAt: Number(raw.createdAt ?? 0),
      summary: raw.summary ?? '',
      target: raw.target ?? '',
    };
  }

  /** May this viewer see (and cancel) this broadcast? */
  async allows(viewer: Viewer, id: string): Promise<boolean> {
    const entry = await this.get(id);
    if (!entry) return viewer.role === 'admin' && /^[0-9a-z]{12}$/.test(id);
    return viewer.role === 'admin' || entry.owner === this.ownerOf(viewer);
  }

  /** The viewer's broadcasts (every console broadcast for an administrator), newest first. */
  async list(viewer: Viewer, count = 20): Promise<OwnedBroadcast[]> {
    const owner = viewer.role === 'admin' ? 'all' : this.ownerOf(viewer);
    const ids = await this.redis.zrevrange(this.index(owner), 0, count - 1);
    const entries = await Promise.all(ids.map((id) => this.get(id)));
    return entries.filter((e): e is OwnedBroadcast => e !== null);
  }
}
