// A message the `duplicate` step knows only from the session's `seen` list (a session saved before
// the replay log existed) changes nothing and counts no comeback, so the nudge mark the
// lock-and-load script took must go back for the learner's real next message.
import { describe, expect, it } from 'vitest';
import { NudgePolicy } from '../../src/conversation/nudge-policy.js';
import { createConversationEngine } from '../../src/plugins/create-engine.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { parseAddress } from '../../src/privacy/phone.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { realContent } from '../support/content.js';
import { FakeClock } from '../support/engine.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';

const HOUR = 3600_000;
const t = useTestRedis();

describe('nudge mark and a duplicate known only from `seen`', () => {
  it('keeps the mark when the turn counts nothing', async () => {
    const clock = new FakeClock(Date.parse('2026-03-02T09:00:00-04:00'));
    const keys = new Keyspace(t.prefix);
    const stores = createStores(t.redis, keys, testPersonIds, { clock: clock.read });
    const nudgePolicy = new NudgePolicy({ delays: [24 * HOUR], quiet: null, tz: 'UTC' });
    const { engine } = createConversationEngine(realContent(), stores, { clock: clock.read, nudgePolicy });
    const phone = '+59171500777';
    const id = learnerId(phone);
    const sids = ['hola', '1', '1'].map((_, i) => `SM${String(i + 1).padStart(32, '0')}`);
    for (const [i, body] of ['hola', '1', '1'].entries()) {
      clock.advance(60_000);
      await engine.handle({ address: parseAddress(phone)!, body, messageSid: sids[i]! });
    }
    // A session from before the replay log: its `seen` knows the SIDs, the log does not.
    await t.redis.del(keys.replayLog(id));
    await stores.nudgeStats.markNudged(id, Date.now(), null);
    const again = await engine.handle({ address: parseAddress(phone)!, body: '1', messageSid: sids[2]! });
    expect(again.duplicate).toBe(true);
    // The turn puts the mark back before it answers: nothing left to wait for.
    expect(await t.redis.exists(keys.learnerNudged(id))).toBe(1);
    expect((await stores.nudgeStats.figures(clock.now, 1, null)).back).toBe(0);
    // The learner's next real message is the comeback, counted once.
    clock.advance(60_000);
    await engine.handle({
      address: parseAddress(phone)!,
      body: '1',
      messageSid: `SM${'4'.padStart(32, '0')}`,
    });
    await expect.poll(async () => (await stores.nudgeStats.figures(clock.now, 1, null)).back).toBe(1);
    expect(await t.redis.exists(keys.learnerNudged(id))).toBe(0);
  });
});
