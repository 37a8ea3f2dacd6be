// A worker process for the broadcast kill test: the fan-out worker and the outbound send workers,
// as an app process with OUTBOUND_WORKER runs them, but with short lock and stall settings so a
// killed process's jobs come back within seconds.
//   node --import tsx tests/broadcasts/broadcast-worker-child.ts
// Configured by environment (below); prints "ready" once its workers run, then works until killed.
import { Redis } from 'ioredis';
import { createBroadcasts } from '../../src/broadcasts/create-broadcasts.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { fanOutChildSender, requiredEnv, serveChild } from '../support/child-env.js';
import { testPersonIds } from '../support/person-ids.js';

const redisUrl = requiredEnv('REDIS_URL');
const prefix = requiredEnv('REDIS_PREFIX');
const rates = { sms: Number(requiredEnv('SMS_RATE_PER_SECOND')), whatsapp: 80 };
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const stores = createStores(redis, new Keyspace(prefix), testPersonIds);
const sender = fanOutChildSender(redisUrl, stores, rates);
const broadcasts = createBroadcasts({
  redis,
  redisTarget: redisUrl,
  stores,
  sender,
  lessons: runtime.course.lessons.map((lesson) => lesson.id),
  spelling: runtime.spelling,
  rates,
  tz: 'America/La_Paz',
  pageSize: Number(requiredEnv('BROADCAST_PAGE_SIZE')),
  backlogSeconds: Number(requiredEnv('BROADCAST_BACKLOG_SECONDS')),
  worker: { lockDurationMs: 1_500, stalledIntervalMs: 500, maxStalledCount: 5 },
});
await serveChild(redis, sender, broadcasts);
