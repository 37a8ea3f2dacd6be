// The setup of the WhatsApp end-to-end tests: the real app on a test Redis, sending through the
// real outbound sender (BullMQ, its own queue) and twilio client to a fake Twilio whose Content
// API has had `whatsapp:sync` run against it, so turns that end on a choice go as buttons.
import { runWhatsAppSync } from '../../src/content-tools/whatsapp-sync.js';
import { createTwilioClient } from '../../src/messaging/twilio-client.js';
import { realContent } from '../support/content.js';
import { useFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { fakeTwilioSenderEnv, TEST_TWILIO } from '../support/twilio-signing.js';
import { injectTransport, useTestApp } from '../http/helpers.js';

export async function useSyncedWhatsAppApp(outboundQueue: string) {
  const fake = await useFakeTwilio({
    credentials: { accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken },
  });
  const db = useTestRedis();
  const app = await useTestApp(db.url, db.prefix, {
    env: { ...fakeTwilioSenderEnv(fake.url), OUTBOUND_QUEUE: outboundQueue },
  });
  const client = createTwilioClient({ ...TEST_TWILIO, apiUrl: fake.url });
  const synced = await runWhatsAppSync(realContent(), client, app.stores.whatsappContent);
  return { fake, db, app, synced, send: injectTransport(app) };
}

/** The messages the fake Twilio created, in the order they were asked for. */
export function createdMessages(fake: FakeTwilio) {
  return fake.requests.filter(
    (r) => r.method === 'POST' && r.path.endsWith('/Messages.json') && r.status === 201,
  );
}
