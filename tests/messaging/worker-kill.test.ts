// Exactly once across a crash: a worker process is killed (SIGKILL) while two of its sends are in
// flight, one already created at Twilio (the answer never came back), one that never reached it.
// A new worker process picks the stalled jobs up, finds the first in Twilio's message list
// instead of sending it again, sends the second, and every recipient gets exactly one message.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { OutboundSender } from '../../src/messaging/outbound.js';
import { learnerId } from '../support/person-ids.js';
import { killAllChildWorkers, killHard, startChildWorker } from '../support/child-worker.js';
import { useTestRedis } from '../support/test-redis.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';
import { startFakeTwilioPlus, type FakeTwilioPlus } from './fake-twilio-plus.js';
import { finalOutcome, phoneN, saveLearner, testSender, waitFor } from './helpers.js';

const t = useTestRedis();
let twilio: FakeTwilioPlus;
let producer: OutboundSender;

beforeAll(async () => {
  twilio = await startFakeTwilioPlus();
  // Enqueues only: the workers run in the child processes.
  producer = testSender(t, twilio.url);
});
afterAll(async () => {
  killAllChildWorkers();
  await producer.close();
  await twilio.close();
});

async function startWorker(): Promise<ChildProcess> {
  return startChildWorker('tests/support/sender-worker-child.ts', {
    REDIS_URL: t.url,
    REDIS_PREFIX: t.prefix,
    QUEUE_NAME: producer.queue('sms').name.replace(/-sms$/, ''),
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    TWILIO_API_URL: twilio.url,
    TWILIO_SMS_FROM: TEST_TWILIO.smsFrom,
    TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
  });
}

const kill = killHard;

it('sends each message exactly once when a worker is killed mid-send and another takes over', async () => {
  const phones = [1, 2, 3, 4, 5, 6].map((n) => phoneN(400 + n));
  for (const phone of phones) await saveLearner(t, { phone });
  const [createdButUnanswered, neverArrived] = phones as [string, string];
  twilio.hold([
    { to: createdButUnanswered, when: 'after' },
    { to: neverArrived, when: 'before' },
  ]);
  await producer.sendMany(phones.map((to) => ({ dedupeKey: 'quiz:kill:q1', to, body: 'Pregunta 1' })));

  const first = await startWorker();
  // Both held sends are open, and every other message has been sent and recorded.
  await twilio.waitForHeld(2, 10_000);
  for (const phone of phones.slice(2))
    expect(await finalOutcome(producer, 'quiz:kill:q1', phone)).toBe('sent');
  await kill(first);

  // The crash left both claims without a sid: nothing recorded either send.
  for (const phone of [createdButUnanswered, neverArrived]) {
    const claim = await producer.deliveries.getClaim('quiz:kill:q1', learnerId(phone));
    expect(claim?.claim.sid).toBeUndefined();
  }
  expect(twilio.fake.messages.filter((m) => m.to === createdButUnanswered)).toHaveLength(1);
  expect(twilio.fake.messages.filter((m) => m.to === neverArrived)).toHaveLength(0);

  const second = await startWorker();
  for (const phone of phones)
    expect(await finalOutcome(producer, 'quiz:kill:q1', phone, 15_000)).toBe('sent');
  await kill(second);

  // Exactly one message per recipient, the unanswered one found in Twilio's list, not re-sent.
  expect(twilio.fake.messages.map((m) => m.to).sort()).toEqual([...phones].sort());
  expect(twilio.listRequests).toBeGreaterThanOrEqual(2);
  const sidA = twilio.fake.messages.find((m) => m.to === createdButUnanswered)?.sid;
  const claimA = await producer.deliveries.getClaim('quiz:kill:q1', learnerId(createdButUnanswered));
  expect(claimA?.claim.sid).toBe(sidA);
  expect(await producer.deliveries.stats('quiz:kill:q1')).toMatchObject({ queued: 6, sent: 6, failed: 0 });
  const outcomes = await waitFor('the jobs to complete', async () => {
    const jobs = await producer.queue('sms').getCompleted();
    return jobs.length === 6 ? jobs.map((j) => j.returnvalue) : undefined;
  });
  expect(outcomes.sort()).toEqual(['reconciled', 'sent', 'sent', 'sent', 'sent', 'sent']);
});

it('still sends exactly once when the kill also catches answers on their way back', async () => {
  const phones = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => phoneN(500 + n));
  for (const phone of phones) await saveLearner(t, { phone });
  twilio.hold([{ to: phones[0] as string, when: 'after' }]);
  await producer.sendMany(phones.map((to) => ({ dedupeKey: 'broadcast:kill', to, body: 'Taller' })));

  const first = await startWorker();
  await twilio.waitForHeld(1, 10_000);
  // Kill as soon as Twilio has created every message: most answers are still travelling back.
  await waitFor(
    'every message created',
    async () => phones.every((p) => twilio.fake.messages.some((m) => m.to === p)),
    5_000,
  );
  await kill(first);

  const second = await startWorker();
  for (const phone of phones)
    expect(await finalOutcome(producer, 'broadcast:kill', phone, 15_000)).toBe('sent');
  await kill(second);

  for (const phone of phones) expect(twilio.fake.messages.filter((m) => m.to === phone)).toHaveLength(1);
  expect(await producer.deliveries.stats('broadcast:kill')).toMatchObject({ queued: 8, sent: 8, failed: 0 });
});
