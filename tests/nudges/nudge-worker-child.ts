// A worker process for the nudge kill test: the nudge worker and the outbound send workers, as
// an app process with OUTBOUND_WORKER runs them, with short lock and stall settings so that a
// killed process's send jobs come back within seconds.
//   node --import tsx tests/nudges/nudge-worker-child.ts
// Configured by environment; prints "ready" once its workers run, then works until killed.
import { Redis } from 'ioredis';
import { NudgePolicy } from '../../src/conversation/nudge-policy.js';
import { NudgeWorker } from '../../src/nudges/nudge-worker.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { fanOutChildSender, requiredEnv, serveChild } from '../support/child-env.js';
import { testPersonIds } from '../support/person-ids.js';

const redisUrl = requiredEnv('REDIS_URL');
const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const stores = createStores(redis, new Keyspace(requiredEnv('REDIS_PREFIX')), testPersonIds);
const sender = fanOutChildSender(redisUrl, stores, {
  sms: Number(requiredEnv('SMS_RATE_PER_SECOND')),
  whatsapp: 80,
});
const nudges = new NudgeWorker({
  policy: new NudgePolicy({ delays: [1_000], quiet: null, tz: 'America/La_Paz' }),
  schedule: stores.nudgeSchedule,
  stats: stores.nudgeStats,
  sessions: stores.sessions,
  groups: stores.groups,
  quizStore: stores.quizStore,
  course: runtime.course,
  words: { translator: runtime.translator, spelling: runtime.spelling },
  sender,
  smsFallback: false,
  clock: Date.now,
  pollMs: 100,
  pageSize: Number(requiredEnv('NUDGE_PAGE_SIZE')),
});
await serveChild(redis, sender, nudges);
