/**
 * Nudge counters per day (Keyspace.nudgeStats): sent, skipped, and learners who wrote again within
 * 24 hours of one ("back"), overall and per group; 90 days. The learner's own mark of a recent
 * nudge (Keyspace.learnerNudged) lives 24 hours in their slot and is taken by their next turn,
 * inside the script that locks and loads it (src/store/session-turns.ts), which reads it with
 * nudgeMarkOf.
 */
import { fieldCounter, type CountFields } from './counter-hash.js';
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

const DAY = 24 * 60 * 60 * 1000;
export const NUDGE_STATS_DAYS = 90;

export type NudgeCount = 'sent' | 'skipped' | 'back';

/** YYYY-MM-DD (UTC) of a time: the counters' day. */
export function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

/** A learner's mark of a nudge within the last 24 hours: the nudge's group, if it had one. */
export interface NudgeMark {
  group: string | null;
}

/** The mark as markNudged writes it (`<ms> <groupId|->`); null for none. */
export function nudgeMarkOf(raw: string | null | undefined): NudgeMark | null {
  if (!raw) return null;
  const group = raw.split(' ')[1];
  return { group: group && group !== '-' ? group : null };
}

export interface NudgeFigures {
  sent: number;
  skipped: number;
  back: number;
}

export class NudgeStats {
  private readonly countFields: CountFields;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {
    this.countFields = fieldCounter(redis);
  }

  /** Counts one event, overall and for the group, in one command; the counter key lives 90 days. */
  async count(what: NudgeCount, at: number, group: string | null): Promise<void> {
    const fields = group ? [what, `${what}:g:${group}`] : [what];
    await this.countFields(this.keys.nudgeStats(dayOf(at)), NUDGE_STATS_DAYS * DAY, fields);
  }

  /** Marks the learner nudged now, for 24 hours: their next message within that counts as back. */
  markNudged(learner: string, at: number, group: string | null): Promise<unknown> {
    return this.redis.set(this.keys.learnerNudged(learner), `${at} ${group ?? '-'}`, 'PX', DAY);
  }

  /** The figures of the last `days` days up to `now`, overall (group null) or for one group. */
  async figures(now: number, days: number, group: string | null): Promise<NudgeFigures> {
    const suffix = group ? `:g:${group}` : '';
    const fields = ['sent', 'skipped', 'back'].map((what) => `${what}${suffix}`);
    const rows = await Promise.all(
      Array.from({ length: days }, (_, i) =>
        this.redis.hmget(this.keys.nudgeStats(dayOf(now - i * DAY)), ...fields),
      ),
    );
    const total = (i: number) => rows.reduce((sum, row) => sum + Number(row[i] ?? 0), 0);
    return { sent: total(0), skipped: total(1), back: total(2) };
  }
}
