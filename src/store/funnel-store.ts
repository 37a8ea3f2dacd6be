/**
 * The funnel's counters (Keyspace.funnel): per day and flow, one hash whose fields are
 * `<event>|<lang>|<channel>`, and the same prefixed `g:<groupId>|` for a learner in a group.
 * Counts only, never who; each day's hash lives 90 days. Written by the turn beside its save
 * script (the counters are shared by every learner, in their own Cluster slots), read by the
 * funnel views summing the days they cover.
 */
import { fieldCounter, type CountFields } from './counter-hash.js';
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';
import { dayOf } from './nudge-stats.js';

const DAY = 24 * 60 * 60 * 1000;
export const FUNNEL_DAYS = 90;

/** What a counter was counted for: the learner's language and channel, their group if any. */
export interface FunnelTags {
  lang: string;
  channel: string;
  group: string | null;
}

/** One counter read back: its event, language, channel and group (null: the overall one). */
export interface FunnelCount {
  event: string;
  lang: string;
  channel: string;
  group: string | null;
  count: number;
}

export class FunnelStore {
  private readonly countFields: CountFields;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {
    this.countFields = fieldCounter(redis);
  }

  /**
   * Counts each event once overall and once for the group: one command per flow's hash (a turn
   * that finishes one flow and starts the next touches two), sent without waiting in between.
   */
  count(at: number, events: { flow: string; event: string }[], tags: FunnelTags): Promise<unknown> {
    const day = dayOf(at);
    const fieldsOf = new Map<string, string[]>();
    for (const { flow, event } of events) {
      const key = this.keys.funnel(day, flow);
      const field = `${event}|${tags.lang}|${tags.channel}`;
      const fields = fieldsOf.get(key) ?? [];
      fieldsOf.set(key, fields);
      fields.push(field);
      if (tags.group) fields.push(`g:${tags.group}|${field}`);
    }
    const ttl = FUNNEL_DAYS * DAY;
    return Promise.all([...fieldsOf].map(([key, fields]) => this.countFields(key, ttl, fields)));
  }

  /** Every counter of a flow over the last `days` days up to `now`, summed over the days. */
  async read(flow: string, now: number, days: number): Promise<FunnelCount[]> {
    const hashes = await Promise.all(
      Array.from({ length: days }, (_, i) =>
        this.redis.hgetall(this.keys.funnel(dayOf(now - i * DAY), flow)),
      ),
    );
    const sums = new Map<string, number>();
    for (const hash of hashes) {
      for (const [field, value] of Object.entries(hash))
        sums.set(field, (sums.get(field) ?? 0) + Number(value));
    }
    return [...sums].map(([field, count]) => {
      const parts = field.split('|');
      const group = parts[0]!.startsWith('g:') ? parts.shift()!.slice(2) : null;
      const [event = '', lang = '', channel = ''] = parts;
      return { event, lang, channel, group, count };
    });
  }
}
