// Exactly once across a crash: the process running a broadcast's fan-out and sends is killed
// (SIGKILL) halfway, while pages are still being enqueued and sends are in flight. Another
// process takes the stalled jobs up, the fan-out continues from its saved page, and every
// targeted learner gets the broadcast exactly once.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BroadcastStore } from '../../src/broadcasts/broadcast-store.js';
import { startChildWorker } from '../support/child-worker.js';
import { killAllChildren, type Child } from '../support/children.js';
import { useTestRedis } from '../support/test-redis.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { adminApi, broadcastApp, numberFor, saveLearner } from './helpers.js';
import { Keyspace, LEARNER_INDEX_BUCKETS } from '../../src/store/keyspace.js';

const { url, prefix, redis } = useTestRedis();
const twilio = await useFakeTwilioPlus();
let app: FastifyInstance;

// More than 128, so the learner index is a hashtable that SSCAN pages on every Redis version
// (a smaller set may come back whole from one SSCAN).
const LEARNERS = Array.from({ length: 140 }, (_, i) => numberFor(6, i + 1));

beforeAll(async () => {
  // The API only: this process runs no worker, the children do.
  app = await broadcastApp(url, prefix, twilio.url, { OUTBOUND_WORKER: 'false' });
  for (const phone of LEARNERS) await saveLearner(redis, prefix, { phone, channel: 'sms' });
});
afterAll(async () => {
  killAllChildren();
  await app.close();
});

async function startWorker(): Promise<Child> {
  return startChildWorker(
    'tests/broadcasts/broadcast-worker-child.ts',
    { redisUrl: url, prefix, twilioUrl: twilio.url },
    {
      // 40 SMS a second, pages of 10, at most 20 waiting: the fan-out keeps pace with the sends,
      // so a kill a second in lands with pages still to enqueue and sends in flight.
      SMS_RATE_PER_SECOND: '40',
      BROADCAST_PAGE_SIZE: '10',
      BROADCAST_BACKLOG_SECONDS: '0.5',
    },
  );
}

it('sends each targeted learner the broadcast exactly once across a SIGKILL', async () => {
  const api = adminApi(app);
  const reply = await api.create({ target: { all: true }, text: { es: 'Taller el sábado' } });
  expect(reply.targeted).toBe(LEARNERS.length);
  const store = new BroadcastStore(redis, new Keyspace(prefix));

  const first = await startWorker();
  await waitFor('the first sends', () => twilio.fake.messages.length >= 30, 15_000);
  await first.kill();
  const atKill = await store.progress(reply.id, 'once');
  const sentAtKill = twilio.fake.messages.length;
  // The kill landed mid-broadcast: pages still to enqueue, learners still to send to.
  expect(atKill.done).toBe(false);
  expect(atKill.pages).toBeGreaterThan(0);
  expect(sentAtKill).toBeLessThan(LEARNERS.length);

  const second = await startWorker();
  const status = await api.settled(reply.id, 'done', 30_000);
  await sleep(500); // let any duplicate that was going to happen arrive
  await second.kill();

  const perLearner = new Map<string, number>();
  for (const message of twilio.fake.messages)
    perLearner.set(message.to, (perLearner.get(message.to) ?? 0) + 1);
  expect([...perLearner.keys()].sort()).toEqual([...LEARNERS].sort());
  expect([...perLearner.values()].every((n) => n === 1)).toBe(true);
  const n = LEARNERS.length;
  expect(status.counts).toMatchObject({ targeted: n, queued: n, sent: n, failed: 0, skipped: 0 });
  // The second process continued from the saved page rather than from the start: no more pages
  // in all than one pass over the learner index's buckets takes, give or take SSCAN's uneven pages
  // (starting over would have added the pages done before the kill).
  const final = await store.progress(reply.id, 'once');
  expect(final.done).toBe(true);
  expect(final.pages).toBeGreaterThan(atKill.pages);
  // One pass: a page per set (the buckets and the old single set), these being small.
  expect(atKill.pages).toBeGreaterThan(2);
  expect(final.pages).toBeLessThanOrEqual(LEARNER_INDEX_BUCKETS + 1 + 2);
}, 60_000);
