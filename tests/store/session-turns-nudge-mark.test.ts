// The nudge mark (Keyspace.learnerNudged) is taken by the script that locks and loads a turn:
// handed to the turn, gone from Redis; left for a message handled before; put back, with the
// time it had left, when the turn fails (Twilio retries the message, and that retry is the
// comeback).
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { NudgeStats } from '../../src/store/nudge-stats.js';
import { SessionTurns, type Loaded } from '../../src/store/session-turns.js';
import { testPersonIds } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';

const DAY = 24 * 60 * 60 * 1000;
const t = useTestRedis();
const keys = new Keyspace(t.prefix);
const turns = new SessionTurns(t.redis, keys, testPersonIds);
const stats = new NudgeStats(t.redis, keys);

/** One turn (it saves nothing, and remembers the message), and what it was handed. */
async function turn(learner: string, sid: string): Promise<Loaded> {
  let seen: Loaded | undefined;
  await turns.run(learner, sid, async (loaded) => {
    seen = loaded;
    return { value: null };
  });
  return seen!;
}

describe('the nudge mark in the lock-and-load script', () => {
  it('hands the mark and its group to the turn and deletes it', async () => {
    await stats.markNudged('taken', Date.now(), 'g1');
    expect((await turn('taken', 'SM1')).nudged).toEqual({ group: 'g1' });
    expect(await t.redis.exists(keys.learnerNudged('taken'))).toBe(0);
    expect((await turn('taken', 'SM2')).nudged).toBeNull();

    await stats.markNudged('taken', Date.now(), null);
    expect((await turn('taken', 'SM3')).nudged).toEqual({ group: null });
  });

  it('leaves the mark to a message handled before', async () => {
    await turn('replayed', 'SM1');
    await stats.markNudged('replayed', Date.now(), null);
    const again = await turn('replayed', 'SM1');
    expect(again.replayed).toBe(true);
    expect(again.nudged).toBeNull();
    expect(await t.redis.exists(keys.learnerNudged('replayed'))).toBe(1);
  });

  it('puts the mark back, with the time it had left, when the turn fails', async () => {
    await t.redis.set(keys.learnerNudged('failed'), '123 g2', 'PX', DAY / 2);
    const failing = turns.run('failed', 'SM1', async (loaded) => {
      expect(loaded.nudged).toEqual({ group: 'g2' });
      throw new Error('the turn failed');
    });
    await expect(failing).rejects.toThrow('the turn failed');
    expect(await t.redis.get(keys.learnerNudged('failed'))).toBe('123 g2');
    const ttl = await t.redis.pttl(keys.learnerNudged('failed'));
    expect(ttl).toBeLessThanOrEqual(DAY / 2);
    expect(ttl).toBeGreaterThan(DAY / 2 - 5_000);
    // The retry takes it.
    expect((await turn('failed', 'SM1')).nudged).toEqual({ group: 'g2' });
  });

  it('keeps a newer nudge that marked the learner while the turn failed', async () => {
    await stats.markNudged('newer', 1, null);
    const failing = turns.run('newer', 'SM1', async () => {
      await stats.markNudged('newer', 2, 'g3');
      throw new Error('the turn failed');
    });
    await expect(failing).rejects.toThrow();
    expect(await t.redis.get(keys.learnerNudged('newer'))).toBe('2 g3');
  });
});
