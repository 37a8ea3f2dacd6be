// Ayni on a Sentinel-managed primary (one primary, one replica, three sentinels) through two app
// processes: the primary is killed with SIGKILL while learners keep texting; once the sentinels
// have promoted the replica every learner is answered, none is greeted as new, and a broadcast
// after the failover reaches each learner once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppProcess } from '../support/app-server.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { SENTINEL_NAME, startRedisSentinel, type RedisSentinelHandle } from '../support/redis-sentinel.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { say, type Learner } from '../http/helpers.js';
import {
  api,
  deliveries,
  isGreeting,
  learnerVia,
  reachedEveryone,
  repeatedBodies,
  sendUntilAnswered,
  startTwoApps,
  textThrough,
} from './helpers.js';

let sentinel: RedisSentinelHandle;
let fake: FakeTwilio;
let apps: AppProcess[] = [];
const menu = say('es', 'whatsapp', 'common:menu');

beforeAll(async () => {
  sentinel = await startRedisSentinel();
  fake = await startFakeTwilio();
  apps = await startTwoApps(fake, {
    REDIS_SENTINELS: sentinel.sentinels,
    REDIS_SENTINEL_NAME: SENTINEL_NAME,
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await fake?.close();
  await sentinel?.stop();
});

describe('on a Sentinel-managed primary, through two app processes', () => {
  it('learners keep being answered across a failover, and keep their place', async () => {
    const learners: Learner[] = Array.from({ length: 8 }, () => learnerVia(apps));
    for (const learner of learners) {
      const [welcome, chosen] = await learner.sendAll('hola', '1');
      expect(welcome!.text).toContain('Soy Ayni');
      expect(chosen!.messages).toEqual([menu]);
    }
    const before = await sentinel.primary();
    let promoted = false;
    const texting = textThrough(learners, () => promoted, 60);
    await sleep(300); // let the first messages go before the kill
    const killedAt = Date.now();
    const after = await sentinel.killPrimary();
    const failoverMs = Date.now() - killedAt;
    promoted = true;
    expect(after).not.toBe(before);
    const replies = await texting;
    console.log(
      `sentinel failover: ${failoverMs} ms until the replica was promoted; ${deliveries.retried} ` +
        `deliveries refused and retried; the slowest message was answered after ${deliveries.slowestMs} ms`,
    );
    for (const [i, learner] of learners.entries()) {
      expect(replies[i]!.some(isGreeting), learner.phone).toBe(false);
      expect((await sendUntilAnswered(learner, 'MENU')).messages, learner.phone).toEqual([menu]);
    }

    const text = 'Aviso tras la conmutación del primario';
    const created = await api<{ id: string }>(apps[0]!, '/api/broadcasts', {
      target: { all: true },
      text: { es: text },
    });
    expect(created.status).toBe(201);
    await waitFor('the broadcast at every learner', reachedEveryone(fake, learners, text), 30_000);
    await sleep(1_000); // a duplicate, if one were coming, comes within moments of the first
    for (const learner of learners) expect(repeatedBodies(fake, learner.from), learner.phone).toEqual([]);
  }, 180_000);
});
