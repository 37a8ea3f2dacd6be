// The sender wired as the app will wire it: the config, redis and stores plugins, the outbound
// plugin (app.outbound) and the status route on app.outbound.deliveries. A message sent with app.outbound reaches the
// fake Twilio with the status callback URL, its callback is counted, and the app closes cleanly.
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET, loadConfig } from '../../src/config.js';
import configPlugin from '../../src/plugins/config.js';
import outbound from '../../src/plugins/outbound.js';
import { twilioStatusRoute } from '../../src/routes/twilio/status.js';
import redis from '../../src/plugins/redis.js';
import stores from '../../src/plugins/stores.js';
import { useTestRedis } from '../support/test-redis.js';
import { signedTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { finalOutcome, phoneN, PUBLIC_URL, saveLearner, STATUS_URL } from './helpers.js';

const t = useTestRedis();
const twilio = await useFakeTwilioPlus();
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ logger: false });
  await app.register(formbody);
  const config = loadConfig({
    REDIS_URL: t.url,
    REDIS_PREFIX: t.prefix,
    OUTBOUND_QUEUE: 'plugin',
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    ID_SECRET: DEVELOPMENT_ID_SECRET,
    TWILIO_API_URL: twilio.url,
    PUBLIC_URL,
    TWILIO_SMS_FROM: TEST_TWILIO.smsFrom,
    TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
    SMS_RATE_PER_SECOND: '1',
    WHATSAPP_RATE_PER_SECOND: '80',
  });
  await app.register(configPlugin, { config });
  await app.register(redis);
  await app.register(stores);
  await app.register(outbound);
  await app.register(twilioStatusRoute, {
    authToken: TEST_TWILIO.authToken,
    publicUrl: PUBLIC_URL,
    deliveries: app.outbound.deliveries,
  });
});

it('sends through app.outbound, counts the status callback, and closes cleanly', async () => {
  const phone = phoneN(600);
  await saveLearner(t, { phone });
  expect(await app.outbound.send({ dedupeKey: 'broadcast:plugin', to: phone, body: 'Hola' })).toBe('queued');
  expect(await finalOutcome(app.outbound, 'broadcast:plugin', phone)).toBe('sent');
  const [message] = twilio.fake.messages;
  expect(twilio.fake.requests[0]?.params.StatusCallback).toBe(STATUS_URL);

  const params = {
    MessageSid: message?.sid ?? '',
    MessageStatus: 'delivered',
    AccountSid: TEST_TWILIO.accountSid,
  };
  const reply = await app.inject({
    method: 'POST',
    url: '/twilio/status',
    ...signedTwilioRequest(TEST_TWILIO.authToken, STATUS_URL, params),
  });
  expect(reply.statusCode).toBe(204);
  expect(await app.outbound.deliveries.stats('broadcast:plugin')).toMatchObject({ sent: 1, delivered: 1 });

  await app.close();
});
