// POST /twilio/status: signed delivery callbacks update the message's counters once; a bad
// signature gets 403 and changes nothing. The sids come from real sends through the fake Twilio.
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundSender } from '../../src/messaging/outbound.js';
import { twilioStatusRoute } from '../../src/routes/twilio/status.js';
import { useTestRedis } from '../support/test-redis.js';
import { signedTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { finalOutcome, phoneN, PUBLIC_URL, saveLearner, STATUS_URL, testSender } from './helpers.js';

const t = useTestRedis();
const twilio = await useFakeTwilioPlus();
let sender: OutboundSender;
let app: FastifyInstance;
const sids: string[] = [];

beforeAll(async () => {
  sender = testSender(t, twilio.url);
  sender.start();
  app = Fastify({ logger: false });
  await app.register(formbody);
  await app.register(twilioStatusRoute, {
    authToken: TEST_TWILIO.authToken,
    publicUrl: PUBLIC_URL,
    deliveries: sender.deliveries,
  });
  // Three messages of one broadcast, sent for real.
  const phones = [1, 2, 3].map((n) => phoneN(300 + n));
  for (const phone of phones) await saveLearner(t, { phone });
  await sender.sendMany(phones.map((to) => ({ dedupeKey: 'broadcast:st', to, body: 'Hola' })));
  for (const phone of phones) await finalOutcome(sender, 'broadcast:st', phone);
  sids.push(...twilio.fake.messages.map((m) => m.sid));
});
afterAll(async () => {
  await app.close();
  await sender.close();
});

function callback(params: Record<string, string>, signature?: string) {
  const signed = signedTwilioRequest(TEST_TWILIO.authToken, STATUS_URL, params);
  if (signature !== undefined) signed.headers['x-twilio-signature'] = signature;
  return app.inject({ method: 'POST', url: '/twilio/status', ...signed });
}

function statusParams(sid: string, status: string, extra: Record<string, string> = {}) {
  return {
    AccountSid: TEST_TWILIO.accountSid,
    ApiVersion: '2010-04-01',
    From: TEST_TWILIO.smsFrom,
    MessageSid: sid,
    MessageStatus: status,
    SmsSid: sid,
    SmsStatus: status,
    To: phoneN(301),
    ...extra,
  };
}

describe('POST /twilio/status', () => {
  it('records each status and counts delivered / failed / undelivered once per message', async () => {
    const [a, b, c] = sids as [string, string, string];
    for (const [sid, status, extra] of [
      [a, 'sent', {}],
      [a, 'delivered', {}],
      [a, 'delivered', {}], // Twilio may repeat a callback
      [a, 'sent', {}], // or deliver them out of order
      [b, 'undelivered', { ErrorCode: '30003' }],
      [c, 'failed', { ErrorCode: '30007' }],
    ] as const) {
      const reply = await callback(statusParams(sid, status, extra));
      expect(reply.statusCode).toBe(204);
    }

    expect(await sender.deliveries.stats('broadcast:st')).toEqual({
      queued: 3,
      sent: 3,
      delivered: 1,
      failed: 1,
      undelivered: 1,
      skipped: 0,
      reasons: { 'undelivered:30003': 1, 'failed:30007': 1 },
    });
    expect((await sender.deliveries.sidStatus(a))?.status).toBe('delivered');
    expect((await sender.deliveries.sidStatus(b))?.status).toBe('undelivered');
  });

  it('answers 204 for a sid it does not know, and counts nothing', async () => {
    const reply = await callback(statusParams('SM' + 'f'.repeat(32), 'delivered'));
    expect(reply.statusCode).toBe(204);
    expect((await sender.deliveries.stats('broadcast:st')).delivered).toBe(1);
  });

  it('answers 403 to a bad or missing signature and changes nothing', async () => {
    const [, , c] = sids as [string, string, string];
    const before = await sender.deliveries.stats('broadcast:st');

    const forged = await callback(statusParams(c, 'delivered'), 'bm90IGEgc2lnbmF0dXJl');
    expect(forged.statusCode).toBe(403);
    const unsigned = await app.inject({
      method: 'POST',
      url: '/twilio/status',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(statusParams(c, 'delivered')).toString(),
    });
    expect(unsigned.statusCode).toBe(403);

    expect(await sender.deliveries.stats('broadcast:st')).toEqual(before);
    expect((await sender.deliveries.sidStatus(c))?.status).toBe('failed');
  });

  it('answers 400 to a signed body without MessageSid', async () => {
    const reply = await callback({ MessageStatus: 'delivered' });
    expect(reply.statusCode).toBe(400);
  });
});
