// A worker process for the broadcast kill test: the fan-out worker and the outbound send workers,
// as an app process with OUTBOUND_WORKER runs them, but with short lock and stall settings so a
// killed process's jobs come back within seconds.
//   node --import tsx tests/broadcasts/broadcast-worker-child.ts
// Configured by environment (below); prints "ready" once its workers run, then works until killed.
import { Redis } from 'ioredis';
import { createBroadcasts } from '../../src/broadcasts/create-broadcasts.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { OutboundSender } from '../../src/messaging/outbound.js';
import { createTwilioClient } from '../../src/messaging/twilio-client.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { testPersonIds } from '../support/person-ids.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`broadcast-worker-child: ${name} is required`);
  return value;
};

const redisUrl = env('REDIS_URL');
const prefix = env('REDIS_PREFIX');
const rates = { sms: Number(env('SMS_RATE_PER_SECOND')), whatsapp: 80 };
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const stores = createStores(redis, new Keyspace(prefix), testPersonIds);
const sender = new OutboundSender({
  stores,
  redisUrl,
  twilio: createTwilioClient({
    accountSid: env('TWILIO_ACCOUNT_SID'),
    authToken: env('TWILIO_AUTH_TOKEN'),
    apiUrl: env('TWILIO_API_URL'),
    timeout: 2_000,
  }),
  smsFrom: env('TWILIO_SMS_FROM'),
  whatsappFrom: env('TWILIO_WHATSAPP_FROM'),
  rates,
  concurrency: { sms: 4, whatsapp: 4 },
  retry: { attempts: 8, baseDelayMs: 100, maxDelayMs: 500 },
  inFlightMs: 2_500,
  worker: { lockDurationMs: 1_500, stalledIntervalMs: 500, maxStalledCount: 3 },
  workerName: `child-${process.pid}`,
});
const broadcasts = createBroadcasts({
  redis,
  redisUrl,
  stores,
  sender,
  lessons: runtime.course.lessons.map((lesson) => lesson.id),
  spelling: runtime.spelling,
  rates,
  tz: 'America/La_Paz',
  pageSize: Number(env('BROADCAST_PAGE_SIZE')),
  backlogSeconds: Number(env('BROADCAST_BACKLOG_SECONDS')),
  worker: { lockDurationMs: 1_500, stalledIntervalMs: 500, maxStalledCount: 5 },
});
sender.start();
broadcasts.start();

process.once('SIGTERM', () => {
  void Promise.all([broadcasts.close(), sender.close()]).then(() => redis.quit().then(() => process.exit(0)));
});

await redis.ping();
process.stdout.write('ready\n');
