// Pacing per sender number, shared through Redis: two senders (as two processes would) on one
// queue, limited to 5 messages per second, never let more than 5 reach Twilio in any second;
// and the slots two pacers on two connections hand out are evenly spaced on one timeline.
import { Redis } from 'ioredis';
import { afterAll, expect, it } from 'vitest';
import type { OutboundSender } from '../../src/messaging/outbound.js';
import { SenderPacer } from '../../src/messaging/pacer.js';
import { createTwilioClient } from '../../src/messaging/twilio-client.js';
import { useTestRedis } from '../support/test-redis.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { waitFor } from '../support/wait-for.js';
import { phoneN, saveLearner, testSender } from './helpers.js';
import { Keyspace } from '../../src/store/keyspace.js';

const t = useTestRedis();
const twilio = await useFakeTwilioPlus();
const senders: OutboundSender[] = [];

afterAll(async () => {
  await Promise.all(senders.map((s) => s.close()));
});

const client = () =>
  createTwilioClient({
    accountSid: TEST_TWILIO.accountSid,
    authToken: TEST_TWILIO.authToken,
    apiUrl: twilio.url,
  });

/** The most messages created inside any window of `ms` milliseconds. */
function busiestWindow(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while ((sorted[j] as number) - (sorted[i] as number) >= ms) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

it('sends 20 SMS at 5/s from two workers: at most 5 in any second, about 4 s in all', async () => {
  const rates = { sms: 5, whatsapp: 80 };
  // Each "process" has its own twilio client, warmed up first: a client's first request pays
  // for connecting and loading, tens of ms that would show up as arrival jitter, not pacing.
  const clients = [client(), client()];
  await Promise.all(clients.map((c) => c.messages.list({ limit: 1 })));
  const first = testSender(t, twilio.url, {
    rates,
    concurrency: { sms: 4 },
    workerName: 'one',
    twilio: clients[0],
  });
  // Another sender on the same queues, as a second process would be.
  const shared = first.queue('sms').name.replace(/-sms$/, '');
  const other = testSender(t, twilio.url, {
    rates,
    concurrency: { sms: 4 },
    queueName: shared,
    workerName: 'two',
    twilio: clients[1],
  });
  senders.push(first, other);

  const phones = Array.from({ length: 20 }, (_, i) => phoneN(100 + i));
  for (const phone of phones) await saveLearner(t, { phone });
  first.start();
  other.start();
  await first.sendMany(phones.map((to) => ({ dedupeKey: 'broadcast:paced', to, body: 'Taller el lunes' })));

  await twilio.fake.waitForMessages(20, 15_000);
  await waitFor('all sent', async () => (await first.deliveries.stats('broadcast:paced')).sent === 20);

  const times = twilio.createdAt;
  expect(twilio.fake.messages.every((m) => m.from === TEST_TWILIO.smsFrom)).toBe(true);
  // The slots are exactly 200 ms apart (next test); what reaches Twilio also carries timer and
  // network jitter: tens of ms on a busy machine, more than 100 ms beside a second test suite
  // (100 ms was allowed, and failed there), so the checks allow JITTER_MS of it. Without pacing
  // all 20 would arrive within a few tens of ms, and both checks would fail by seconds.
  const JITTER_MS = 300;
  expect(busiestWindow(times, 1000 - JITTER_MS)).toBeLessThanOrEqual(5);
  const span = (times[times.length - 1] as number) - (times[0] as number);
  expect(span).toBeGreaterThanOrEqual(19 * 200 - JITTER_MS);
  // Both workers did their share: the limit is shared, not per process.
  // An outcome is recorded before BullMQ moves its job to completed.
  const jobs = await waitFor('the 20 send jobs to complete', async () => {
    const completed = await first.queue('sms').getCompleted();
    return completed.length >= 20 && completed;
  });
  expect(jobs).toHaveLength(20);
  expect(new Set(jobs.map((j) => j.processedBy))).toEqual(new Set(['one', 'two']));
});

it('hands out one evenly spaced timeline per sender, whichever connection asks', async () => {
  const other = new Redis(t.url);
  try {
    const pacers = [
      new SenderPacer(t.redis, new Keyspace(t.prefix)),
      new SenderPacer(other, new Keyspace(t.prefix)),
    ];
    const slots = await Promise.all(
      Array.from({ length: 40 }, (_, i) => (pacers[i % 2] as SenderPacer).reserve('whatsapp:+1999', 80)),
    );
    const sorted = slots.map((s) => s.slotUs).sort((a, b) => a - b);
    const gaps = sorted.slice(1).map((slot, i) => slot - (sorted[i] as number));
    expect(new Set(gaps)).toEqual(new Set([12_500])); // 1/80 s in µs
    // Another sender has its own timeline: its first slot is now.
    expect((await pacers[0]?.reserve('sms:+1999', 1))?.waitMs).toBeLessThan(1);
  } finally {
    other.disconnect();
  }
});
