// Exactly once across a crash: a worker process is killed (SIGKILL) while two of its sends are in
// flight, one already created at Twilio (the answer never came back), one that never reached it.
// A new worker process picks the stalled jobs up, finds the first in Twilio's message list
// instead of sending it again, sends the second, and every recipient gets exactly one message.
import { afterAll, expect, it } from 'vitest';
import { learnerId } from '../support/person-ids.js';
import { startChildWorker } from '../support/child-worker.js';
import { killAllChildren, type Child } from '../support/children.js';
import { useTestRedis } from '../support/test-redis.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { waitFor } from '../support/wait-for.js';
import { finalOutcome, phoneN, saveLearner, testSender } from './helpers.js';

const t = useTestRedis();
const twilio = await useFakeTwilioPlus();
// Enqueues only: the workers run in the child processes.
const producer = testSender(t, twilio.url);
afterAll(async () => {
  killAllChildren();
  await producer.close();
});

async function startWorker(): Promise<Child> {
  return startChildWorker(
    'tests/support/sender-worker-child.ts',
    { redisUrl: t.url, prefix: t.prefix, twilioUrl: twilio.url },
    { QUEUE_NAME: producer.queue('sms').name.replace(/-sms$/, '') },
  );
}

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
  // Their jobs are over too (a job killed between its send and its end runs again as done_before).
  await waitFor('the four other jobs to complete', async () => {
    return (await producer.queue('sms').getCompletedCount()) === 4;
  });
  await first.kill();

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
  // Every job is over before this worker goes too: a job ends a moment after its outcome.
  const outcomes = await waitFor('the jobs to complete', async () => {
    const jobs = await producer.queue('sms').getCompleted();
    return jobs.length === 6 ? jobs.map((j) => j.returnvalue) : undefined;
  });
  await second.kill();

  // Exactly one message per recipient, the unanswered one found in Twilio's list, not re-sent.
  expect(twilio.fake.messages.map((m) => m.to).sort()).toEqual([...phones].sort());
  expect(twilio.listRequests).toBeGreaterThanOrEqual(2);
  const sidA = twilio.fake.messages.find((m) => m.to === createdButUnanswered)?.sid;
  const claimA = await producer.deliveries.getClaim('quiz:kill:q1', learnerId(createdButUnanswered));
  expect(claimA?.claim.sid).toBe(sidA);
  expect(await producer.deliveries.stats('quiz:kill:q1')).toMatchObject({ queued: 6, sent: 6, failed: 0 });
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
  await first.kill();

  const second = await startWorker();
  for (const phone of phones)
    expect(await finalOutcome(producer, 'broadcast:kill', phone, 15_000)).toBe('sent');
  await second.kill();

  for (const phone of phones) expect(twilio.fake.messages.filter((m) => m.to === phone)).toHaveLength(1);
  expect(await producer.deliveries.stats('broadcast:kill')).toMatchObject({ queued: 8, sent: 8, failed: 0 });
});
