/**
 * What coordinators and administrators do with broadcasts: create one (checked, counted,
 * scheduled), read how it went, cancel it. The admin routes and AVISO by text both come here.
 * Checking a request is in broadcast-input.ts; reading the counts in broadcast-status.ts.
 */
import { randomInt } from 'node:crypto';
import type { RedisClient } from '../store/redis-client.js';
import type { Language } from '../content/locale-schema.js';
import type { GroupStore } from '../groups/group-store.js';
import type { DeliveryLog } from '../messaging/delivery-log.js';
import type { SessionStore } from '../store/session-store.js';
import { dedupeKeyOf, type Broadcast, type BroadcastState, type Target } from './broadcast.js';
import { BroadcastError, checkInput, fallbacksOf, type BroadcastInput } from './broadcast-input.js';
import type { BroadcastQueue } from './broadcast-queue.js';
import { BroadcastStatusReader, type BroadcastStatus } from './broadcast-status.js';
import { sha256, type BroadcastStore } from './broadcast-store.js';
import type { Fanout } from './fanout.js';
import { countsMissing, matches, type RecipientPager } from './recipients.js';

// The service's public names, where the routes have always imported them from.
export { BroadcastError, fallbacksOf, type BroadcastInput } from './broadcast-input.js';
export type { BroadcastCounts, BroadcastStatus, OccurrenceStatus } from './broadcast-status.js';

export interface CreateResult {
  broadcast: Broadcast;
  /** false when an Idempotency-Key named an existing broadcast */
  created: boolean;
  /** languages without their own text: they get the Spanish one */
  fallbacks: Language[];
  /** when it first fans out (ms), if known */
  nextAt: number | null;
  state: BroadcastState;
}

export interface BroadcastServiceDeps {
  redis: RedisClient;
  store: BroadcastStore;
  queue: Pick<BroadcastQueue, 'scheduleOnce' | 'scheduleRepeat' | 'unschedule' | 'nextRun'>;
  fanout: Pick<Fanout, 'sweepCancelled'>;
  pager: RecipientPager;
  sessions: SessionStore;
  groups: Pick<GroupStore, 'get'>;
  deliveries: DeliveryLog;
  /** lesson ids, for notFinished */
  lessons: readonly string[];
  /** the time zone crons are read in (America/La_Paz) */
  tz: string;
  /** let crons repeat more often than once an hour (tests only) */
  allowFastRepeat?: boolean;
  clock?: () => number;
  /** how long a creator waits for a concurrent request with the same Idempotency-Key */
  idempotencyWaitMs?: number;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

export function newBroadcastId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export class BroadcastService {
  private readonly clock: () => number;
  private readonly statuses: BroadcastStatusReader;

  constructor(private readonly deps: BroadcastServiceDeps) {
    this.clock = deps.clock ?? Date.now;
    this.statuses = new BroadcastStatusReader(deps);
  }

  async create(
    input: BroadcastInput,
    options: { idempotencyKey?: string; idempotencyTtlMs?: number; origin?: string } = {},
  ): Promise<CreateResult> {
    const now = this.clock();
    const checked = await checkInput(input, now, this.deps);
    let id = newBroadcastId();
    if (options.idempotencyKey) {
      const bodyHash = sha256(JSON.stringify(input));
      const claim = await this.deps.store.claimIdempotency(
        options.idempotencyKey,
        id,
        bodyHash,
        options.idempotencyTtlMs,
      );
      if (claim.bodyHash !== bodyHash) {
        throw new BroadcastError(422, 'this Idempotency-Key was already used with a different body');
      }
      if (!claim.fresh) {
        const existing = await this.waitForRecord(claim.id);
        if (existing) return this.replay(existing);
        // The first request died before saving: carry its creation through, under its id.
      }
      id = claim.id;
    }
    const targeted = await this.count(checked.target);
    const broadcast: Broadcast = {
      id,
      createdAt: now,
      ...checked,
      targeted,
      origin: options.origin ?? 'api',
    };
    if (!(await this.deps.store.create(broadcast))) {
      const existing = await this.deps.store.get(id);
      if (existing) return this.replay(existing.broadcast);
    }
    const nextAt = await this.schedule(broadcast, now);
    return {
      broadcast,
      created: true,
      fallbacks: fallbacksOf(broadcast.text),
      nextAt,
      state: 'scheduled',
    };
  }

  /** How it is going: counts summed over its occurrences, its state and its next time. */
  async status(id: string): Promise<BroadcastStatus | null> {
    return this.statuses.status(id);
  }

  /** Cancels what has not gone yet; a repeating broadcast stops repeating. Null if there is none. */
  async cancel(id: string): Promise<BroadcastStatus | null> {
    const found = await this.deps.store.get(id);
    if (!found) return null;
    await this.deps.store.cancel(id, this.clock());
    await this.deps.queue.unschedule(id);
    for (const { occurrence } of await this.deps.store.occurrences(id)) {
      await this.deps.fanout.sweepCancelled(dedupeKeyOf(id, occurrence));
    }
    return this.status(id);
  }

  /**
   * Who the target picks now, reading every candidate's session: `reachable` leaves out those
   * who opted out or whose data is gone. For AVISO's answer; pages, never holds them all.
   */
  async reach(target: Target): Promise<{ targeted: number; reachable: number }> {
    let targeted = 0;
    let reachable = 0;
    const now = this.clock();
    for await (const page of this.deps.pager.pages(target)) {
      const sessions = await this.deps.sessions.loadMany(page.ids);
      for (const session of sessions) {
        if (!session) {
          if (countsMissing(target)) targeted++;
          continue;
        }
        if (!matches(target, session, now)) continue;
        targeted++;
        if (!session.optedOut) reachable++;
      }
    }
    return { targeted, reachable };
  }

  // ---- creating -----------------------------------------------------------------------------

  /** Candidates now: a set's size where that is exact, else a count over the sessions. */
  private async count(target: Target): Promise<number> {
    return (await this.deps.pager.quickCount(target)) ?? (await this.reach(target)).targeted;
  }

  private async schedule(broadcast: Broadcast, now: number): Promise<number | null> {
    if (broadcast.repeat) {
      return this.deps.queue.scheduleRepeat(broadcast.id, broadcast.repeat, broadcast.tz, broadcast.sendAt);
    }
    // BullMQ's delays run on the real clock, whatever clock the app was given.
    const at = broadcast.sendAt ?? now;
    await this.deps.queue.scheduleOnce(broadcast.id, at);
    return Math.max(at, now);
  }

  private async waitForRecord(id: string): Promise<Broadcast | null> {
    const until = this.clock() + (this.deps.idempotencyWaitMs ?? 5_000);
    for (;;) {
      const found = await this.deps.store.get(id);
      if (found) return found.broadcast;
      if (this.clock() > until) return null;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private async replay(broadcast: Broadcast): Promise<CreateResult> {
    const status = await this.status(broadcast.id);
    return {
      broadcast,
      created: false,
      fallbacks: fallbacksOf(broadcast.text),
      nextAt: status?.nextAt ?? null,
      state: status?.state ?? 'scheduled',
    };
  }
}
