/**
 * What happened to each outbound message, in Redis: per message (dedupeKey) a counter hash and
 * each recipient's outcome; per (message, recipient) the send claim that makes a send happen at
 * most once; per Twilio MessageSid the message it belongs to and its last delivery status.
 *
 * Every key of one message carries the dedupeKey as a hash tag, so the scripts that move a
 * recipient's outcome and the counters together (delivery-scripts.ts) run in one slot on Redis
 * Cluster. Callers name a recipient by learner id; the log stores only recipientKey(dedupeKey,
 * learner), never the learner id or the number, so what it keeps after BORRAR names nobody.
 */
import type { RedisClient } from '../store/redis-client.js';
import type { Channel } from '../privacy/phone.js';
import type { Keyspace } from '../store/keyspace.js';
import { recipientKey } from './recipient-key.js';
import {
  COUNT_STATUS,
  FINISH,
  MARK_QUEUED,
  RECORD_SENT,
  SET_SID_STATUS,
  SWAP_CLAIM,
} from './delivery-scripts.js';

/** Where Twilio posts delivery callbacks (PUBLIC_URL + this path): the sender asks for them, the route takes them. */
export const STATUS_PATH = '/twilio/status';

export type SkipReason = 'opted_out' | 'unknown_learner' | 'outside_window' | 'no_sender';

/** A claim on sending one message to one recipient, taken just before calling Twilio. */
export interface SendClaim {
  /** when the claim was taken (ms since the epoch) */
  at: number;
  /** Twilio's MessageSid, once Twilio accepted the message */
  sid?: string;
  /** set when the send ended without a clear answer (5xx, timeout): the message may exist */
  uncertain?: boolean;
  /** the channel the send went out on (WhatsApp may have fallen back to SMS) */
  channel?: Channel;
}

export interface DeliveryStats {
  /** recipients enqueued (each counted once) */
  queued: number;
  /** accepted by Twilio (a MessageSid came back) */
  sent: number;
  /** Twilio's status callback said delivered */
  delivered: number;
  /** never accepted (gave up, rejected) or Twilio's callback said failed */
  failed: number;
  /** Twilio's status callback said undelivered */
  undelivered: number;
  /** not sent on purpose: opted out, deleted, outside the WhatsApp window... */
  skipped: number;
  /**
   * Breakdown by reason: `skipped:<SkipReason>`; `failed:twilio_<code>` (Twilio refused the
   * request), `failed:gave_up_<rate_limited|uncertain|error>` (retries used up); and from status
   * callbacks `failed:<ErrorCode>` / `undelivered:<ErrorCode>` (e.g. 'undelivered:30003').
   */
  reasons: Record<string, number>;
}

/** Outcome of a recipient: 'queued' until one of the final ones. */
export type RecipientOutcome = 'queued' | 'sent' | `skipped:${string}` | `failed:${string}`;

export interface DeliveryLogOptions {
  /** how long a message's claims, outcomes and counters are kept after the last change */
  retentionMs?: number;
  /** how long a MessageSid stays attributable to its message, for status callbacks */
  sidTtlMs?: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Order of Twilio's MessageStatus values; a callback never moves a message back. */
const STATUS_RANK: Record<string, number> = {
  accepted: 1,
  scheduled: 1,
  queued: 2,
  sending: 3,
  sent: 4,
  delivered: 5,
  read: 6,
  undelivered: 7,
  failed: 7,
  canceled: 7,
};

/** The statuses that move the message's counters. */
const COUNTED_STATUSES = new Set(['delivered', 'failed', 'undelivered']);

const DEDUPE_KEY = /^[A-Za-z0-9:_.-]{1,200}$/;

export function assertDedupeKey(dedupeKey: string): void {
  if (!DEDUPE_KEY.test(dedupeKey)) {
    throw new Error(`dedupeKey must match ${DEDUPE_KEY.source}, got ${JSON.stringify(dedupeKey)}`);
  }
}

export class DeliveryLog {
  private readonly retentionMs: number;
  private readonly sidTtlMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    options: DeliveryLogOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? 30 * DAY;
    this.sidTtlMs = options.sidTtlMs ?? 3 * DAY;
  }

  // ---- keys -------------------------------------------------------------------------------

  statsKey(dedupeKey: string): string {
    return this.keys.deliveryStats(dedupeKey);
  }
  recipientsKey(dedupeKey: string): string {
    return this.keys.deliveryRecipients(dedupeKey);
  }
  claimKey(dedupeKey: string, learner: string): string {
    return this.keys.deliveryClaim(dedupeKey, recipientKey(dedupeKey, learner));
  }
  countedKey(dedupeKey: string): string {
    return this.keys.deliveryCounted(dedupeKey);
  }
  sidKey(sid: string): string {
    return this.keys.deliverySid(sid);
  }

  // ---- recipients -------------------------------------------------------------------------

  /** Registers the recipient; 'new' the first time, else the outcome so far. */
  async markQueued(dedupeKey: string, learner: string): Promise<'new' | RecipientOutcome> {
    const prev = (await this.redis.eval(
      MARK_QUEUED,
      2,
      this.recipientsKey(dedupeKey),
      this.statsKey(dedupeKey),
      recipientKey(dedupeKey, learner),
      this.retentionMs,
    )) as RecipientOutcome | null;
    return prev ?? 'new';
  }

  async outcome(dedupeKey: string, learner: string): Promise<RecipientOutcome | null> {
    const field = recipientKey(dedupeKey, learner);
    return (await this.redis.hget(this.recipientsKey(dedupeKey), field)) as RecipientOutcome | null;
  }

  /** Final outcome other than sent; counted once. False if the recipient already had one. */
  async finish(
    dedupeKey: string,
    learner: string,
    outcome: 'skipped' | 'failed',
    reason: string,
  ): Promise<boolean> {
    return this.finishRecipient(dedupeKey, recipientKey(dedupeKey, learner), outcome, reason);
  }

  /** finish() for a recipient named by its key, as the recipients hash lists them. */
  async finishRecipient(
    dedupeKey: string,
    recipient: string,
    outcome: 'skipped' | 'failed',
    reason: string,
  ): Promise<boolean> {
    const done = await this.redis.eval(
      FINISH,
      2,
      this.recipientsKey(dedupeKey),
      this.statsKey(dedupeKey),
      recipient,
      `${outcome}:${reason}`,
      this.retentionMs,
      outcome,
      `${outcome}:${reason}`,
    );
    return done === 1;
  }

  // ---- claims -----------------------------------------------------------------------------

  async getClaim(dedupeKey: string, learner: string): Promise<{ claim: SendClaim; raw: string } | null> {
    const raw = await this.redis.get(this.claimKey(dedupeKey, learner));
    return raw ? { claim: JSON.parse(raw) as SendClaim, raw } : null;
  }

  /** SET NX: true if this caller now owns the send; the raw value identifies the claim. */
  async claim(dedupeKey: string, learner: string, at: number, channel: Channel): Promise<string | null> {
    const raw = JSON.stringify({ at, channel } satisfies SendClaim);
    const ok = await this.redis.set(this.claimKey(dedupeKey, learner), raw, 'PX', this.retentionMs, 'NX');
    return ok === 'OK' ? raw : null;
  }

  /** Replaces the claim `raw` (only if it is still the current one); null deletes it. */
  async swapClaim(dedupeKey: string, learner: string, raw: string, next: SendClaim | null): Promise<boolean> {
    const done = await this.redis.eval(
      SWAP_CLAIM,
      1,
      this.claimKey(dedupeKey, learner),
      raw,
      next ? JSON.stringify(next) : '',
    );
    return done === 1;
  }

  /**
   * Twilio accepted the message: remember which message the sid belongs to (first, so a status
   * callback can always be attributed), then store the sid on the claim and count it sent.
   */
  async recordSent(dedupeKey: string, learner: string, claim: SendClaim, sid: string): Promise<boolean> {
    await this.redis
      .multi()
      .hset(this.sidKey(sid), 'd', dedupeKey)
      .pexpire(this.sidKey(sid), this.sidTtlMs)
      .exec();
    const done = await this.redis.eval(
      RECORD_SENT,
      3,
      this.recipientsKey(dedupeKey),
      this.statsKey(dedupeKey),
      this.claimKey(dedupeKey, learner),
      recipientKey(dedupeKey, learner),
      this.retentionMs,
      JSON.stringify({ at: claim.at, channel: claim.channel, sid } satisfies SendClaim),
    );
    return done === 1;
  }

  // ---- status callbacks -------------------------------------------------------------------

  /**
   * Records Twilio's MessageStatus for a sid we sent, and counts delivered / failed /
   * undelivered once per sid. Returns null for a sid we do not know (not ours, or expired).
   */
  async recordStatus(
    sid: string,
    status: string,
    errorCode?: string,
    now = Date.now(),
  ): Promise<{ dedupeKey: string; counted: boolean } | null> {
    const found = (await this.redis.eval(
      SET_SID_STATUS,
      1,
      this.sidKey(sid),
      status,
      STATUS_RANK[status] ?? 0,
      now,
    )) as [string] | null;
    if (!found) return null;
    const [dedupeKey] = found;
    if (!COUNTED_STATUSES.has(status)) return { dedupeKey, counted: false };
    const fields = [status];
    if (status !== 'delivered') fields.push(`${status}:${errorCode || 'unknown'}`);
    const counted = await this.redis.eval(
      COUNT_STATUS,
      2,
      this.countedKey(dedupeKey),
      this.statsKey(dedupeKey),
      sid,
      status,
      this.retentionMs,
      ...fields,
    );
    return { dedupeKey, counted: counted === 1 };
  }

  async sidStatus(sid: string): Promise<{ dedupeKey: string; status: string | null } | null> {
    const record = await this.redis.hgetall(this.sidKey(sid));
    if (!record.d) return null;
    return { dedupeKey: record.d, status: record.status ?? null };
  }

  // ---- reading ----------------------------------------------------------------------------

  async stats(dedupeKey: string): Promise<DeliveryStats> {
    const raw = await this.redis.hgetall(this.statsKey(dedupeKey));
    const stats: DeliveryStats = {
      queued: 0,
      sent: 0,
      delivered: 0,
      failed: 0,
      undelivered: 0,
      skipped: 0,
      reasons: {},
    };
    for (const [field, value] of Object.entries(raw)) {
      const n = Number(value);
      if (field.includes(':')) stats.reasons[field] = n;
      else if (field in stats && field !== 'reasons')
        stats[field as Exclude<keyof DeliveryStats, 'reasons'>] = n;
    }
    return stats;
  }
}
