// The funnel's and the nudges' counters are counted by one script per hash instead of an HINCRBY
// per field and a PEXPIRE per hash: the same hashes, fields, counts and time to live as the
// commands they replace (the funnel's written out here as they were), a time to live that starts
// again at each count.
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { fieldCounter } from '../../src/store/counter-hash.js';
import { FUNNEL_DAYS, FunnelStore, type FunnelTags } from '../../src/store/funnel-store.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { dayOf, NUDGE_STATS_DAYS, NudgeStats } from '../../src/store/nudge-stats.js';
import { useTestRedis } from '../support/test-redis.js';

const DAY = 24 * 60 * 60 * 1000;
const t = useTestRedis();
const AT = Date.parse('2026-03-02T09:00:00Z');

/** FunnelStore.count before the script: an HINCRBY per field, then a PEXPIRE per hash. */
async function funnelCountAsBefore(
  redis: Redis,
  keys: Keyspace,
  events: { flow: string; event: string }[],
  tags: FunnelTags,
): Promise<void> {
  const touched = new Set<string>();
  const sent: Promise<unknown>[] = [];
  for (const { flow, event } of events) {
    const key = keys.funnel(dayOf(AT), flow);
    const field = `${event}|${tags.lang}|${tags.channel}`;
    sent.push(redis.hincrby(key, field, 1));
    if (tags.group) sent.push(redis.hincrby(key, `g:${tags.group}|${field}`, 1));
    touched.add(key);
  }
  for (const key of touched) sent.push(redis.pexpire(key, FUNNEL_DAYS * DAY));
  await Promise.all(sent);
}

/** Every hash under `prefix`, by key without the prefix, with its time to live rounded to minutes. */
async function hashesUnder(prefix: string): Promise<Record<string, { fields: object; ttlMin: number }>> {
  const found = await t.redis.keys(`${prefix}*`);
  const entries = await Promise.all(
    found.map(async (key) => {
      const [fields, ttl] = await Promise.all([t.redis.hgetall(key), t.redis.pttl(key)]);
      return [key.slice(prefix.length), { fields, ttlMin: Math.round(ttl / 60_000) }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

describe('counter hashes', () => {
  it('the funnel: the same hashes, fields, counts and time to live as before', async () => {
    const turns: { events: { flow: string; event: string }[]; tags: FunnelTags }[] = [
      {
        events: [{ flow: 'lesson-a', event: 'reach:s2' }],
        tags: { lang: 'es', channel: 'sms', group: null },
      },
      {
        // A turn that finishes one flow and starts the next, in a group, with a field twice.
        events: [
          { flow: 'lesson-a', event: 'reach:s3' },
          { flow: 'lesson-a', event: 'done' },
          { flow: 'lesson-b', event: 'start' },
          { flow: 'lesson-b', event: 'reach:s1' },
          { flow: 'lesson-b', event: 'reach:s1' },
        ],
        tags: { lang: 'ay', channel: 'whatsapp', group: 'g1' },
      },
      {
        events: [{ flow: 'lesson-a', event: 'reach:s2' }],
        tags: { lang: 'es', channel: 'sms', group: null },
      },
    ];
    const before = new Keyspace(`${t.prefix}before:`);
    const now = new Keyspace(`${t.prefix}now:`);
    const store = new FunnelStore(t.redis, now);
    for (const { events, tags } of turns) {
      await funnelCountAsBefore(t.redis, before, events, tags);
      await store.count(AT, events, tags);
    }
    const expected = await hashesUnder(`${t.prefix}before:`);
    expect(Object.keys(expected)).toHaveLength(2);
    expect(await hashesUnder(`${t.prefix}now:`)).toEqual(expected);
    expect(Object.values(expected)[0]!.ttlMin).toBe((FUNNEL_DAYS * DAY) / 60_000);
  });

  it('the nudges: one event overall and for the group, 90 days', async () => {
    const keys = new Keyspace(`${t.prefix}nudges:`);
    const stats = new NudgeStats(t.redis, keys);
    await stats.count('sent', AT, 'g1');
    await stats.count('sent', AT, null);
    await stats.count('back', AT, 'g1');
    const key = keys.nudgeStats(dayOf(AT));
    expect(await t.redis.hgetall(key)).toEqual({ sent: '2', 'sent:g:g1': '1', back: '1', 'back:g:g1': '1' });
    expect(Math.round((await t.redis.pttl(key)) / 60_000)).toBe((NUDGE_STATS_DAYS * DAY) / 60_000);
    expect(await stats.figures(AT, 1, 'g1')).toEqual({ sent: 1, skipped: 0, back: 1 });
  });

  it('starts the time to live again at each count, as PEXPIRE did', async () => {
    const key = t.key('ttl');
    const count = fieldCounter(t.redis);
    await count(key, 60_000, ['a']);
    await t.redis.pexpire(key, 1_000);
    await count(key, 60_000, ['a', 'b']);
    expect(await t.redis.hgetall(key)).toEqual({ a: '2', b: '1' });
    expect(await t.redis.pttl(key)).toBeGreaterThan(50_000);
  });
});
