/**
 * How a broadcast is going, read from the outbound sender's delivery log of each occurrence
 * (`broadcast:<id>:<occurrence>`) and summed over occurrences:
 * - targeted: learners the target picked (opted-out and deleted ones included: they are skipped);
 *   before an occurrence has paged every candidate, the count made when the broadcast was created;
 * - queued: handed to the sender; sent: accepted by Twilio; delivered: confirmed by a status
 *   callback; failed: given up on, refused by Twilio, or reported failed/undelivered afterwards;
 * - skipped: opted out, deleted, outside the WhatsApp window without a template, cancelled…
 *   with each reason's count in skippedReasons.
 */
import type { RedisClient } from '../store/redis-client.js';
import type { DeliveryLog, DeliveryStats } from '../messaging/delivery-log.js';
import { dedupeKeyOf, ONE_OFF, type Broadcast, type BroadcastState } from './broadcast.js';
import type { BroadcastQueue } from './broadcast-queue.js';
import type { BroadcastStore } from './broadcast-store.js';

export interface BroadcastCounts {
  targeted: number;
  queued: number;
  sent: number;
  delivered: number;
  failed: number;
  skipped: number;
}

export interface OccurrenceStatus {
  occurrence: string;
  startedAt: number;
  /** every candidate has been paged */
  fannedOut: boolean;
  /** handed to the sender and not finished yet */
  pending: number;
  counts: BroadcastCounts;
}

export interface BroadcastStatus {
  id: string;
  state: BroadcastState;
  counts: BroadcastCounts;
  skippedReasons: Record<string, number>;
  failedReasons: Record<string, number>;
  broadcast: Broadcast;
  nextAt: number | null;
  /** the newest occurrences, oldest first */
  occurrences: OccurrenceStatus[];
}

export interface StatusDeps {
  redis: RedisClient;
  store: BroadcastStore;
  queue: Pick<BroadcastQueue, 'nextRun'>;
  deliveries: DeliveryLog;
}

const SHOWN_OCCURRENCES = 20;

export class BroadcastStatusReader {
  constructor(private readonly deps: StatusDeps) {}

  async status(id: string): Promise<BroadcastStatus | null> {
    const found = await this.deps.store.get(id);
    if (!found) return null;
    const { broadcast, cancelled } = found;
    const occurrences = await this.deps.store.occurrences(id);
    const total: BroadcastCounts = { targeted: 0, queued: 0, sent: 0, delivered: 0, failed: 0, skipped: 0 };
    const skippedReasons: Record<string, number> = {};
    const failedReasons: Record<string, number> = {};
    const shown: OccurrenceStatus[] = [];
    let active = false;
    for (const { occurrence, at } of occurrences) {
      const dedupeKey = dedupeKeyOf(id, occurrence);
      const [stats, recipients, progress] = await Promise.all([
        this.deps.deliveries.stats(dedupeKey),
        this.deps.redis.hlen(this.deps.deliveries.recipientsKey(dedupeKey)),
        this.deps.store.progress(id, occurrence),
      ]);
      const counts = countsOf(stats, progress.done ? recipients : Math.max(recipients, broadcast.targeted));
      const pending = Math.max(0, recipients - stats.sent - stats.skipped - finalFailures(stats));
      if (!progress.done || pending > 0) active = true;
      for (const key of Object.keys(total) as (keyof BroadcastCounts)[]) total[key] += counts[key];
      for (const [reason, n] of Object.entries(stats.reasons)) {
        const [kind, ...rest] = reason.split(':');
        const name = rest.join(':');
        if (kind === 'skipped') skippedReasons[name] = (skippedReasons[name] ?? 0) + n;
        else failedReasons[reason] = (failedReasons[reason] ?? 0) + n;
      }
      shown.push({ occurrence, startedAt: at, fannedOut: progress.done, pending, counts });
    }
    if (!occurrences.length) total.targeted = broadcast.targeted;
    const nextAt = cancelled ? null : await this.nextAt(broadcast);
    let state: BroadcastState;
    if (cancelled) state = 'cancelled';
    else if (active) state = 'sending';
    else if (nextAt !== null) state = occurrences.length ? 'repeating' : 'scheduled';
    else state = occurrences.length ? 'done' : 'scheduled';
    return {
      id,
      state,
      counts: total,
      skippedReasons,
      failedReasons,
      broadcast,
      nextAt,
      occurrences: shown.slice(-SHOWN_OCCURRENCES),
    };
  }

  private async nextAt(broadcast: Broadcast): Promise<number | null> {
    if (broadcast.repeat) {
      // The scheduler keeps its last time once `until` has passed: a time already run is no next.
      const next = await this.deps.queue.nextRun(broadcast.id);
      if (next === null || next > broadcast.repeat.until) return null;
      const occurrences = await this.deps.store.occurrences(broadcast.id);
      return occurrences.some((o) => o.occurrence === String(next)) ? null : next;
    }
    const started = (await this.deps.store.occurrences(broadcast.id)).some((o) => o.occurrence === ONE_OFF);
    return started ? null : (broadcast.sendAt ?? broadcast.createdAt);
  }
}

/** Failures the sender recorded as final (not status callbacks about a message already sent). */
function finalFailures(stats: DeliveryStats): number {
  return Object.entries(stats.reasons)
    .filter(([reason]) => reason.startsWith('failed:gave_up_') || reason.startsWith('failed:twilio_'))
    .reduce((sum, [, n]) => sum + n, 0);
}

function countsOf(stats: DeliveryStats, targeted: number): BroadcastCounts {
  return {
    targeted,
    queued: stats.queued,
    sent: stats.sent,
    delivered: stats.delivered,
    failed: stats.failed + stats.undelivered,
    skipped: stats.skipped,
  };
}
