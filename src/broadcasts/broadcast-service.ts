/**
 * What coordinators and administrators do with broadcasts: create one (checked, counted,
 * scheduled), read how it went, cancel it. The admin routes and AVISO by text both come here.
 *
 * Counts are read from the outbound sender's delivery log of each occurrence
 * (`broadcast:<id>:<occurrence>`), summed over occurrences:
 * - targeted: learners the target picked (opted-out and deleted ones included: they are skipped);
 *   before an occurrence has paged every candidate, the count made when the broadcast was created;
 * - queued: handed to the sender; sent: accepted by Twilio; delivered: confirmed by a status
 *   callback; failed: given up on, refused by Twilio, or reported failed/undelivered afterwards;
 * - skipped: opted out, deleted, outside the WhatsApp window without a template, cancelled…
 *   with each reason's count in skippedReasons.
 */
import { randomInt } from 'node:crypto';
import { getNextMillis } from 'bullmq';
import type { Redis } from 'ioredis';
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import type { GroupStore } from '../groups/group-store.js';
import type { DeliveryLog, DeliveryStats } from '../messaging/delivery-log.js';
import type { OutboundTemplate } from '../messaging/outbound.js';
import type { SessionStore } from '../store/session-store.js';
import {
  dedupeKeyOf,
  ONE_OFF,
  type Broadcast,
  type BroadcastState,
  type BroadcastTexts,
  type Target,
} from './broadcast.js';
import type { BroadcastQueue } from './broadcast-queue.js';
import { sha256, type BroadcastStore } from './broadcast-store.js';
import type { Fanout } from './fanout.js';
import { countsMissing, matches, type RecipientPager } from './recipients.js';

/** What a client sends (after the route's schema has checked its shape). */
export interface BroadcastInput {
  target: Target;
  text: Partial<Record<Language, string>>;
  template?: OutboundTemplate;
  smsFallback?: boolean;
  /** ISO 8601 with an offset */
  sendAt?: string;
  repeat?: { cron: string; until: string };
}

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

/** A request the service refuses: the route answers `status` with `{error: message}`. */
export class BroadcastError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'BroadcastError';
  }
}

export interface BroadcastServiceDeps {
  redis: Redis;
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
  clock?: () => number;
  /** how long a creator waits for a concurrent request with the same Idempotency-Key */
  idempotencyWaitMs?: number;
}

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const SHOWN_OCCURRENCES = 20;

export function newBroadcastId(): string {
  let id = '';
  for (let i = 0; i < 12; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export class BroadcastService {
  private readonly clock: () => number;

  constructor(private readonly deps: BroadcastServiceDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async create(
    input: BroadcastInput,
    options: { idempotencyKey?: string; idempotencyTtlMs?: number; origin?: string } = {},
  ): Promise<CreateResult> {
    const now = this.clock();
    const checked = await this.check(input, now);
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

  private async check(input: BroadcastInput, now: number) {
    const target = await this.checkTarget(input.target);
    const es = input.text.es?.trim();
    if (!es) throw new BroadcastError(400, "body/text is missing the field 'es': Spanish is required");
    const text: BroadcastTexts = { es };
    for (const lang of LANGUAGES) {
      const value = input.text[lang]?.trim();
      if (value) text[lang] = value;
    }
    const sendAt = input.sendAt === undefined ? null : parseTime(input.sendAt, 'body/sendAt');
    let repeat: Broadcast['repeat'] = null;
    if (input.repeat) {
      const until = parseTime(input.repeat.until, 'body/repeat/until');
      const cron = input.repeat.cron.trim().replace(/\s+/g, ' ');
      const fields = cron.split(' ').length;
      if (fields < 5 || fields > 6) {
        throw new BroadcastError(
          400,
          'body/repeat/cron must have 5 fields (minute hour day month weekday), or 6 with seconds first',
        );
      }
      if (until <= now) throw new BroadcastError(422, 'body/repeat/until is in the past');
      const first = firstTime(cron, this.deps.tz, Math.max(now, sendAt ?? 0), until);
      if (first === null) {
        throw new BroadcastError(422, 'body/repeat: the cron has no time between the start and until');
      }
      repeat = { cron, until };
    }
    return {
      target,
      text,
      template: input.template ?? null,
      smsFallback: input.smsFallback ?? false,
      sendAt,
      repeat,
      tz: this.deps.tz,
    };
  }

  private async checkTarget(target: Target): Promise<Target> {
    if ('groups' in target) {
      const groups = [...new Set(target.groups)];
      for (const id of groups) {
        if (!(await this.deps.groups.get(id))) throw new BroadcastError(422, `no group has the id ${id}`);
      }
      return { groups };
    }
    if ('notFinished' in target && !this.deps.lessons.includes(target.notFinished)) {
      throw new BroadcastError(422, `no lesson has the id ${target.notFinished}: see GET /api/lessons`);
    }
    return target;
  }

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

export function fallbacksOf(text: BroadcastTexts): Language[] {
  return LANGUAGES.filter((lang) => !text[lang]);
}

/** The first cron time after `from` and not after `until`, or null. Throws a 400 for a bad cron. */
function firstTime(cron: string, tz: string, from: number, until: number): number | null {
  let next: number | undefined;
  try {
    next = getNextMillis(from, { pattern: cron, tz, endDate: until });
  } catch (error) {
    throw new BroadcastError(
      400,
      `body/repeat/cron is not a valid cron expression: ${(error as Error).message}`,
    );
  }
  return next !== undefined && next <= until ? next : null;
}

function parseTime(value: string, where: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BroadcastError(400, `${where} is not a valid ISO 8601 time`);
  return ms;
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
