// Shared by the outbound sender tests: a sender on the test Redis pointed at the fake Twilio,
// learners' sessions as the webhook leaves them, and waiting for outcomes.
import { OutboundSender, type OutboundSenderOptions } from '../../src/messaging/outbound.js';
import { createTwilioClient } from '../../src/messaging/twilio-client.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { SessionStore } from '../../src/store/session-store.js';
import { saveSession, type SessionFixture } from '../support/session-fixture.js';
import type { TestRedis } from '../support/test-redis.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';
import { waitFor } from '../support/wait-for.js';

export const PUBLIC_URL = 'https://ayni.test';
export const STATUS_URL = `${PUBLIC_URL}/twilio/status`;

let queues = 0;

/** A sender with fast retries, on its own queues under the test file's prefix. */
export function testSender(
  t: TestRedis,
  apiUrl: string,
  overrides: Partial<OutboundSenderOptions> = {},
): OutboundSender {
  return new OutboundSender({
    stores: createStores(t.redis, new Keyspace(t.prefix), testPersonIds),
    redisTarget: t.url,
    queueName: `q${++queues}-${process.pid}`,
    twilio: createTwilioClient({
      accountSid: TEST_TWILIO.accountSid,
      authToken: TEST_TWILIO.authToken,
      apiUrl,
      timeout: 5_000,
    }),
    smsFrom: TEST_TWILIO.smsFrom,
    whatsappFrom: TEST_TWILIO.whatsappFrom,
    statusCallbackUrl: STATUS_URL,
    rates: { sms: 200, whatsapp: 200 },
    retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 200 },
    ...overrides,
  });
}

export type LearnerFixture = Pick<SessionFixture, 'phone' | 'channel' | 'lastInboundAt' | 'optedOut'>;

export function sessions(t: TestRedis): SessionStore {
  return new SessionStore(t.redis, new Keyspace(t.prefix));
}

/** A session as the webhook saves it after the learner's last message. */
export function saveLearner(t: TestRedis, learner: LearnerFixture): Promise<void> {
  return saveSession(t.redis, t.prefix, learner, { indexed: false });
}

/** Waits until the recipient's outcome for `dedupeKey` is final, and returns it. */
export function finalOutcome(sender: OutboundSender, dedupeKey: string, phone: string, timeoutMs?: number) {
  return waitFor(
    `the outcome of ${dedupeKey}`,
    async () => {
      const outcome = await sender.deliveries.outcome(dedupeKey, learnerId(phone));
      return outcome && outcome !== 'queued' ? outcome : undefined;
    },
    timeoutMs,
  );
}

export function phoneN(n: number): string {
  return `+5917${String(n).padStart(7, '0')}`;
}
