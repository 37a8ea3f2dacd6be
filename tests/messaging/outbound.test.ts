// The outbound sender against the real Redis and the fake Twilio, through the real twilio client:
// what reaches Twilio, retries, STOP (21610), opted-out and unknown learners, duplicates, and the
// WhatsApp 24-hour window.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundSender, OutboundSenderOptions } from '../../src/messaging/outbound.js';
import { learnerId } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { finalOutcome, phoneN, saveLearner, sessions, STATUS_URL, testSender } from './helpers.js';

const t = useTestRedis();
const HOUR = 60 * 60 * 1000;

const twilio = await useFakeTwilioPlus();
let sender: OutboundSender;

beforeEach(() => {
  twilio.reset();
  sender = testSender(t, twilio.url);
  sender.start();
});
afterEach(() => sender.close());

const posts = () => twilio.fake.requests.filter((r) => r.method === 'POST');

/** Replaces this test's sender with one built with `overrides`. */
async function restartSender(overrides: Partial<OutboundSenderOptions>): Promise<void> {
  await sender.close();
  sender = testSender(t, twilio.url, overrides);
  sender.start();
}

describe('sending', () => {
  it('sends through Twilio: To, From, Body and the status callback arrive', async () => {
    const phone = phoneN(1);
    await saveLearner(t, { phone });

    expect(await sender.send({ dedupeKey: 'broadcast:1', to: phone, body: 'Reunión mañana 10:00' })).toBe(
      'queued',
    );
    expect(await finalOutcome(sender, 'broadcast:1', phone)).toBe('sent');

    expect(twilio.fake.messages).toHaveLength(1);
    expect(posts()[0]?.params).toEqual({
      To: phone,
      From: TEST_TWILIO.smsFrom,
      Body: 'Reunión mañana 10:00',
      StatusCallback: STATUS_URL,
    });
    expect(posts()[0]?.username).toBe(TEST_TWILIO.accountSid);
    const stats = await sender.deliveries.stats('broadcast:1');
    expect(stats).toMatchObject({ queued: 1, sent: 1, failed: 0, skipped: 0 });
    // The sid is remembered for status callbacks, with the message it belongs to (not the learner).
    const sid = twilio.fake.messages[0]?.sid ?? '';
    expect(await sender.deliveries.sidStatus(sid)).toEqual({ dedupeKey: 'broadcast:1', status: null });
  });

  it('sends a duplicate send() of the same dedupeKey and recipient once', async () => {
    const phone = phoneN(2);
    await saveLearner(t, { phone });
    const message = { dedupeKey: 'quiz:abc:q2', to: phone, body: 'Pregunta 2' };

    const results = await Promise.all([sender.send(message), sender.send(message)]);
    expect(results.sort()).toEqual(['duplicate', 'queued']);
    expect(await finalOutcome(sender, 'quiz:abc:q2', phone)).toBe('sent');
    // Once it went, sending again (even on the other channel: same person) changes nothing.
    expect(await sender.send(message)).toBe('duplicate');
    expect(await sender.send({ ...message, to: `whatsapp:${phone}` })).toBe('duplicate');
    await sleep(200); // time for a second send, had one been queued, to reach Twilio

    expect(twilio.fake.messages).toHaveLength(1);
    expect(await sender.deliveries.stats('quiz:abc:q2')).toMatchObject({ queued: 1, sent: 1 });
  });

  it('fans out with sendMany: one message per recipient, duplicates in the batch dropped', async () => {
    const phones = [3, 4, 5, 6, 7].map(phoneN);
    for (const phone of phones) await saveLearner(t, { phone });
    const batch = [...phones, phones[0] as string].map((to) => ({
      dedupeKey: 'broadcast:fan',
      to,
      body: 'Sesión el sábado',
    }));

    const results = await sender.sendMany(batch);
    expect(results).toEqual(['queued', 'queued', 'queued', 'queued', 'queued', 'duplicate']);
    await twilio.fake.waitForMessages(5);
    for (const phone of phones) expect(await finalOutcome(sender, 'broadcast:fan', phone)).toBe('sent');
    expect(twilio.fake.messages.map((m) => m.to).sort()).toEqual([...phones].sort());
    expect(await sender.deliveries.stats('broadcast:fan')).toMatchObject({ queued: 5, sent: 5 });
  });

  it('rejects a message without body or template, or with a bad address or dedupeKey', async () => {
    await expect(sender.send({ dedupeKey: 'x', to: phoneN(8) })).rejects.toThrow(/body or a template/);
    await expect(sender.send({ dedupeKey: 'x', to: '59170000008', body: 'a' })).rejects.toThrow(/E\.164/);
    await expect(sender.send({ dedupeKey: 'a}b', to: phoneN(8), body: 'a' })).rejects.toThrow(/dedupeKey/);
  });
});

describe('never twice', () => {
  it('waits while an earlier attempt may still be sending, then asks Twilio before sending', async () => {
    // Long enough that the send job starts inside it even when the machine is busy.
    const IN_FLIGHT_MS = 2_000;
    await restartSender({ inFlightMs: IN_FLIGHT_MS });
    const phone = phoneN(40);
    await saveLearner(t, { phone });
    // As if another worker had claimed the send a moment ago and was waiting for Twilio.
    const claimedAt = Date.now();
    await sender.deliveries.claim('broadcast:c1', learnerId(phone), claimedAt, 'sms');

    await sender.send({ dedupeKey: 'broadcast:c1', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:c1', phone)).toBe('sent');
    expect(Date.now() - claimedAt).toBeGreaterThanOrEqual(IN_FLIGHT_MS);
    expect(twilio.listRequests).toBe(1); // found nothing, so it sent
    expect(twilio.fake.messages).toHaveLength(1);
    // The outcome is recorded before BullMQ moves the job to completed.
    const job = await waitFor(
      'the send job to complete',
      async () => (await sender.queue('sms').getCompleted())[0],
    );
    // Run twice (wait, then send), but one attempt: waiting does not use up the retry budget.
    expect(job.attemptsStarted).toBe(2);
    expect(job.attemptsMade).toBe(1);
  });

  it('records a send whose sid was stored before the worker died, without calling Twilio', async () => {
    const phone = phoneN(41);
    await saveLearner(t, { phone });
    const learner = learnerId(phone);
    const sid = 'SM' + '1'.repeat(32);
    await sender.deliveries.markQueued('broadcast:c2', learner);
    await sender.deliveries.claim('broadcast:c2', learner, Date.now(), 'sms');
    const raw = (await sender.deliveries.getClaim('broadcast:c2', learner))?.raw ?? '';
    await sender.deliveries.swapClaim('broadcast:c2', learner, raw, { at: Date.now(), channel: 'sms', sid });

    await sender.send({ dedupeKey: 'broadcast:c2', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:c2', phone)).toBe('sent');
    expect(twilio.fake.requests).toHaveLength(0);
    expect(await sender.deliveries.stats('broadcast:c2')).toMatchObject({ queued: 1, sent: 1 });
  });
});

describe('who is never sent to', () => {
  it('skips an opted-out learner, checked at send time', async () => {
    const phone = phoneN(10);
    await saveLearner(t, { phone, optedOut: true });

    await sender.send({ dedupeKey: 'broadcast:2', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:2', phone)).toBe('skipped:opted_out');
    expect(posts()).toHaveLength(0);
    expect(await sender.deliveries.stats('broadcast:2')).toMatchObject({
      queued: 1,
      sent: 0,
      skipped: 1,
      reasons: { 'skipped:opted_out': 1 },
    });
  });

  it('skips a number with no session (deleted with BORRAR, or never met) unless told otherwise', async () => {
    const phone = phoneN(11);
    await sender.send({ dedupeKey: 'broadcast:3', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:3', phone)).toBe('skipped:unknown_learner');
    expect(posts()).toHaveLength(0);

    // A coordinator who never wrote to Ayni can still be reached when the caller says so.
    await sender.send({ dedupeKey: 'summary:1', to: phone, body: 'Resumen', allowUnknownRecipient: true });
    expect(await finalOutcome(sender, 'summary:1', phone)).toBe('sent');
    expect(twilio.fake.messages).toHaveLength(1);
  });

  it('marks the learner opted out on 21610, and skips later sends without calling Twilio', async () => {
    const phone = phoneN(12);
    await saveLearner(t, { phone });
    twilio.fake.failNext(1, 21610);

    await sender.send({ dedupeKey: 'broadcast:4', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:4', phone)).toBe('skipped:opted_out');
    expect((await sessions(t).load(learnerId(phone)))?.optedOut).toBe(true);
    expect(posts()).toHaveLength(1); // 21610 is not retried

    await sender.send({ dedupeKey: 'broadcast:5', to: phone, body: 'Hola otra vez' });
    expect(await finalOutcome(sender, 'broadcast:5', phone)).toBe('skipped:opted_out');
    expect(posts()).toHaveLength(1);
    expect(twilio.fake.messages).toHaveLength(0);
    expect((await sender.deliveries.stats('broadcast:4')).reasons).toEqual({ 'skipped:opted_out': 1 });
  });
});

describe('retries', () => {
  it('retries a 429 and sends once', async () => {
    const phone = phoneN(20);
    await saveLearner(t, { phone });
    twilio.fake.failNext(1, 429);

    await sender.send({ dedupeKey: 'broadcast:6', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:6', phone)).toBe('sent');
    expect(posts().map((r) => r.status)).toEqual([429, 201]);
    expect(twilio.fake.messages).toHaveLength(1);
    // A 429 means nothing was created: no need to ask Twilio before retrying.
    expect(twilio.listRequests).toBe(0);
  });

  it('retries a 500 twice, asks Twilio whether the message exists, and sends once', async () => {
    const phone = phoneN(21);
    await saveLearner(t, { phone });
    twilio.fake.failNext(2, 500);

    await sender.send({ dedupeKey: 'broadcast:7', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:7', phone)).toBe('sent');
    expect(posts().map((r) => r.status)).toEqual([500, 500, 201]);
    expect(twilio.fake.messages).toHaveLength(1);
    expect(twilio.listRequests).toBe(2);
    expect(await sender.deliveries.stats('broadcast:7')).toMatchObject({ sent: 1, failed: 0 });
  });

  it('retries a 20429 sent with another HTTP status too', async () => {
    const phone = phoneN(22);
    await saveLearner(t, { phone });
    twilio.fake.failNext(1, { status: 400, code: 20429, message: 'Too Many Requests' });

    await sender.send({ dedupeKey: 'broadcast:8', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:8', phone)).toBe('sent');
    expect(posts().map((r) => r.status)).toEqual([400, 201]);
  });

  it('gives up after the bound and records the failure', async () => {
    const phone = phoneN(23);
    await saveLearner(t, { phone });
    twilio.fake.failNext(5, 500); // attempts: 5 in testSender

    await sender.send({ dedupeKey: 'broadcast:9', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:9', phone)).toBe('failed:gave_up_uncertain');
    expect(posts()).toHaveLength(5);
    expect(twilio.fake.messages).toHaveLength(0);
    expect(await sender.deliveries.stats('broadcast:9')).toMatchObject({
      queued: 1,
      sent: 0,
      failed: 1,
      reasons: { 'failed:gave_up_uncertain': 1 },
    });
    // The outcome is recorded before BullMQ moves the job to failed.
    const job = await waitFor('the send job to fail', async () => (await sender.queue('sms').getFailed())[0]);
    expect(job.attemptsMade).toBe(5);
  });

  it('does not retry other 4xx: records the failure with Twilio’s code', async () => {
    const phone = phoneN(24);
    await saveLearner(t, { phone });
    twilio.fake.failNext(1, {
      status: 400,
      code: 21211,
      message: "The 'To' number is not a valid phone number.",
    });

    await sender.send({ dedupeKey: 'broadcast:10', to: phone, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:10', phone)).toBe('failed:twilio_21211');
    expect(posts()).toHaveLength(1);
    expect((await sender.deliveries.stats('broadcast:10')).reasons).toEqual({ 'failed:twilio_21211': 1 });
  });
});

describe('the WhatsApp 24-hour window', () => {
  const template = { contentSid: 'HX' + 'a'.repeat(32), variables: { '1': 'Ana', '2': 'sábado 10:00' } };

  it('sends free text inside the window', async () => {
    const phone = phoneN(30);
    await saveLearner(t, { phone, channel: 'whatsapp', lastInboundAt: Date.now() - 2 * HOUR });

    await sender.send({ dedupeKey: 'quiz:w:q1', to: `whatsapp:${phone}`, body: 'Pregunta 1', template });
    expect(await finalOutcome(sender, 'quiz:w:q1', phone)).toBe('sent');
    expect(posts()[0]?.params).toMatchObject({
      To: `whatsapp:${phone}`,
      From: TEST_TWILIO.whatsappFrom,
      Body: 'Pregunta 1',
    });
    expect(posts()[0]?.params.ContentSid).toBeUndefined();
  });

  it('sends the template (contentSid + contentVariables as JSON) outside the window', async () => {
    const phone = phoneN(31);
    await saveLearner(t, { phone, channel: 'whatsapp', lastInboundAt: Date.now() - 30 * HOUR });

    await sender.send({ dedupeKey: 'broadcast:w1', to: `whatsapp:${phone}`, body: 'Hola', template });
    expect(await finalOutcome(sender, 'broadcast:w1', phone)).toBe('sent');
    const params = posts()[0]?.params ?? {};
    expect(params).toMatchObject({
      To: `whatsapp:${phone}`,
      From: TEST_TWILIO.whatsappFrom,
      ContentSid: template.contentSid,
    });
    expect(JSON.parse(params.ContentVariables ?? '')).toEqual(template.variables);
    expect(params.Body).toBeUndefined();
  });

  it('counts a learner whose last message came by SMS as outside the WhatsApp window', async () => {
    const phone = phoneN(32);
    await saveLearner(t, { phone, channel: 'sms', lastInboundAt: Date.now() - 60_000 });

    await sender.send({ dedupeKey: 'broadcast:w2', to: `whatsapp:${phone}`, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:w2', phone)).toBe('skipped:outside_window');
  });

  it('skips with outside_window when there is neither a template nor SMS fallback', async () => {
    const phone = phoneN(33);
    await saveLearner(t, { phone, channel: 'whatsapp', lastInboundAt: Date.now() - 25 * HOUR });

    await sender.send({ dedupeKey: 'broadcast:w3', to: `whatsapp:${phone}`, body: 'Hola' });
    expect(await finalOutcome(sender, 'broadcast:w3', phone)).toBe('skipped:outside_window');
    expect(posts()).toHaveLength(0);
    expect(await sender.deliveries.stats('broadcast:w3')).toMatchObject({
      skipped: 1,
      reasons: { 'skipped:outside_window': 1 },
    });
  });

  it('falls back to SMS outside the window when asked and an SMS sender is configured', async () => {
    const phone = phoneN(34);
    await saveLearner(t, { phone, channel: 'whatsapp', lastInboundAt: Date.now() - 25 * HOUR });

    await sender.send({
      dedupeKey: 'broadcast:w4',
      to: `whatsapp:${phone}`,
      body: 'Hola',
      smsFallback: true,
    });
    expect(await finalOutcome(sender, 'broadcast:w4', phone)).toBe('sent');
    expect(posts()).toHaveLength(1);
    expect(posts()[0]?.params).toMatchObject({ To: phone, From: TEST_TWILIO.smsFrom, Body: 'Hola' });
  });

  it('skips instead of falling back when no SMS sender is configured', async () => {
    await restartSender({ smsFrom: undefined });
    const phone = phoneN(35);
    await saveLearner(t, { phone, channel: 'whatsapp', lastInboundAt: Date.now() - 25 * HOUR });

    await sender.send({
      dedupeKey: 'broadcast:w5',
      to: `whatsapp:${phone}`,
      body: 'Hola',
      smsFallback: true,
    });
    expect(await finalOutcome(sender, 'broadcast:w5', phone)).toBe('skipped:outside_window');
    expect(posts()).toHaveLength(0);
  });
});
