// A send worker as its own process, for the test that kills one mid-send:
//   node --import tsx tests/support/sender-worker-child.ts
// Configured by environment (below); prints "ready" once its workers run, then works until
// killed. Short lock and stall settings so a killed worker's jobs come back within seconds.
import { Redis } from 'ioredis';
import { OutboundSender } from '../../src/messaging/outbound.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { requiredEnv, twilioFromEnv } from './child-env.js';
import { testPersonIds } from './person-ids.js';

const redisUrl = requiredEnv('REDIS_URL');
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
const sender = new OutboundSender({
  stores: createStores(redis, new Keyspace(requiredEnv('REDIS_PREFIX')), testPersonIds),
  redisTarget: redisUrl,
  queueName: requiredEnv('QUEUE_NAME'),
  twilio: twilioFromEnv(Number(process.env.TWILIO_TIMEOUT_MS ?? 2_000)),
  smsFrom: process.env.TWILIO_SMS_FROM,
  whatsappFrom: process.env.TWILIO_WHATSAPP_FROM,
  rates: { sms: 100, whatsapp: 100 },
  concurrency: { sms: 8, whatsapp: 8 },
  retry: { attempts: 8, baseDelayMs: 100, maxDelayMs: 500 },
  inFlightMs: Number(process.env.IN_FLIGHT_MS ?? 4_000),
  // Margins wide enough for a loaded CI machine, short enough for a test.
  worker: { lockDurationMs: 3_000, stalledIntervalMs: 1_000, maxStalledCount: 3 },
  workerName: `child-${process.pid}`,
});
sender.start();

process.once('SIGTERM', () => {
  void sender.close().then(() => redis.quit().then(() => process.exit(0)));
});

await redis.ping();
process.stdout.write('ready\n');
