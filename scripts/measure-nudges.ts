/**
 * Measures nudges for 100,000 quiet learners (not a test): `npm run bench:nudges`, and part of
 * `npm run bench`.
 *
 * In a throwaway redis-server it writes 100,000 learners' sessions, each standing in a lesson,
 * quiet for 2 to 3 hours (WhatsApp, inside the 24-hour window), with their first nudge due (the
 * due sets as a turn leaves them). A worker process (this script again, `worker` mode: the nudge
 * worker and the send workers, as an app process runs them) finds them and enqueues their
 * nudges, sending at the paced rate (80/s) against the fake Twilio, which runs in this process.
 * It prints:
 *   1. Redis bytes per learner of the due sets (MEMORY USAGE of the 16 sets, divided);
 *   2. the time to find and enqueue every due nudge (until no due time is left at or before the
 *      start), and the rate;
 *   3. the send rate over a fixed window at the limit;
 *   4. after the worker is replaced by one with a high limit that drains the rest: duplicates
 *      and misses (each learner must have exactly one nudge), and the worker's peak RSS.
 * Options (environment): LEARNERS (100000), RATE (80), WINDOW_SECONDS (5), DRAIN_RATE (5000).
 */
import { Redis } from 'ioredis';
import { NudgePolicy } from '../src/conversation/nudge-policy.js';
import { initialContext } from '../src/flows/learner-context.js';
import { NudgeWorker } from '../src/nudges/nudge-worker.js';
import { buildContentRuntime } from '../src/plugins/content-runtime.js';
import { createStores } from '../src/plugins/create-stores.js';
import { Keyspace, NUDGE_BUCKETS } from '../src/store/keyspace.js';
import type { SessionRecord } from '../src/store/session-store.js';
import { startFakeTwilio } from '../tests/support/fake-twilio.js';
import { startRedis } from '../tests/support/redis-server.js';
import {
  PREFIX,
  ROOT,
  ids,
  phoneOf,
  senderFor,
  serveUntilSigterm,
  sleep,
  startWorker,
  type Worker,
} from './measure-worker.js';

const SCRIPT = 'scripts/measure-nudges.ts';
const HOUR = 3_600_000;
const policy = new NudgePolicy({
  delays: [2 * HOUR, 24 * HOUR, 72 * HOUR],
  quiet: null,
  tz: 'America/La_Paz',
});

// ---- worker mode: the nudge worker and the send workers, until SIGTERM ------------------------

async function worker(): Promise<void> {
  const redisUrl = process.env.REDIS_URL as string;
  const rate = Number(process.env.RATE);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const stores = createStores(redis, new Keyspace(PREFIX), ids);
  const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' }, ROOT);
  const sender = senderFor(stores, redisUrl, process.env.TWILIO_API_URL as string, rate);
  const nudges = new NudgeWorker({
    policy,
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
    pollMs: 1_000,
  });
  sender.start();
  nudges.start();
  await serveUntilSigterm(
    () => redis.ping(),
    async () => {
      await nudges.close();
      await sender.close();
    },
  );
}

// ---- the measurement --------------------------------------------------------------------------

/** Writes the quiet learners: sessions in lesson 1, first nudge due, as a turn leaves them. */
async function writeLearners(redis: Redis, learners: number, now: number): Promise<void> {
  const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' }, ROOT);
  const lesson = runtime.course.lessons[0]!;
  const keys = new Keyspace(PREFIX);
  for (let start = 0; start < learners; start += 1_000) {
    const batch = redis.pipeline();
    for (let i = start; i < Math.min(learners, start + 1_000); i++) {
      const learner = ids.learnerId(phoneOf(i));
      // Quiet for 2 to 3 hours: their last messages spread over an hour, as they would be.
      const lastInboundAt = now - 2 * HOUR - (i % 3_600) * 1_000;
      const record: SessionRecord = {
        flowVersion: runtime.course.version,
        snapshot: {
          value: { flow: { [lesson.id]: lesson.steps[2 + (i % 3)]!.id } },
          context: { ...initialContext(), lang: (['es', 'ay', 'qu'] as const)[i % 3]! },
        },
        address: `whatsapp:${phoneOf(i)}`,
        lastInboundAt,
        optedOut: false,
        turns: 6,
        seen: [],
        lastReplies: [],
      };
      batch
        .set(keys.session(learner), JSON.stringify(record))
        .sadd(keys.learnerIndex(learner), learner)
        .zadd(keys.nudgesDueOf(learner), policy.dueAt(lastInboundAt, 0)!, learner);
    }
    await batch.exec();
  }
}

async function dueLeft(redis: Redis, at: number): Promise<number> {
  const keys = new Keyspace(PREFIX);
  const counts = await Promise.all(
    Array.from({ length: NUDGE_BUCKETS }, (_, b) => redis.zcount(keys.nudgesDue(b), 0, at)),
  );
  return counts.reduce((a, b) => a + b, 0);
}

async function main(): Promise<void> {
  const learners = Number(process.env.LEARNERS ?? 100_000);
  const rate = Number(process.env.RATE ?? 80);
  const windowSeconds = Number(process.env.WINDOW_SECONDS ?? 5);
  const drainRate = Number(process.env.DRAIN_RATE ?? 5_000);
  const server = await startRedis();
  const fake = await startFakeTwilio();
  const redis = new Redis(server.url, { maxRetriesPerRequest: 3 });
  const workers: Worker[] = [];
  try {
    console.log(`redis ${server.url}, fake Twilio ${fake.url}; writing ${learners} quiet learners…`);
    const now = Date.now();
    await writeLearners(redis, learners, now);
    const keys = new Keyspace(PREFIX);
    let setBytes = 0;
    for (let b = 0; b < NUDGE_BUCKETS; b++)
      setBytes += Number(await redis.memory('USAGE', keys.nudgesDue(b)));
    console.log(
      `due sets: ${learners} learners in ${NUDGE_BUCKETS} sets, ${(setBytes / learners).toFixed(1)} bytes per learner`,
    );
    const due = await dueLeft(redis, now);

    // 1. Find and enqueue: from the worker's start until no due time at or before `now` is left.
    const env = { REDIS_URL: server.url, TWILIO_API_URL: fake.url, RATE: String(rate) };
    workers.push(await startWorker(SCRIPT, env));
    const started = Date.now();
    while ((await dueLeft(redis, now)) > 0) await sleep(100);
    const seconds = (Date.now() - started) / 1000;
    const queued = Number(
      (await redis.hget(keys.nudgeStats(new Date(Date.now()).toISOString().slice(0, 10)), 'sent')) ?? 0,
    );
    console.log(
      `find and enqueue: ${due} due, ${queued} enqueued in ${seconds.toFixed(2)} s (${Math.round(queued / seconds)}/s, from the worker's start; it polls every second)`,
    );

    // 2. The send rate over a fixed window, at the limit.
    const before = fake.messages.length;
    const windowStart = Date.now();
    await sleep(windowSeconds * 1000);
    const elapsed = (Date.now() - windowStart) / 1000;
    const sent = fake.messages.length - before;
    console.log(
      `send rate at ${rate}/s: ${sent} nudges in ${elapsed.toFixed(1)} s = ${(sent / elapsed).toFixed(1)}/s`,
    );
    const firstPeak = await workers.shift()!.stop();
    console.log(`worker peak RSS (finding ${learners} + ${windowSeconds} s of sending): ${firstPeak} MiB`);

    // 3. Drain at a high limit, then count duplicates and misses.
    const drainStart = Date.now();
    workers.push(await startWorker(SCRIPT, { ...env, RATE: String(drainRate) }));
    // Until every learner has a nudge, or nothing is left to send (then the rest are misses).
    const left = async () => {
      let n = await dueLeft(redis, now);
      for (const lane of ['sms', 'whatsapp']) {
        const queue = `${PREFIX}bull:outbound-${lane}`;
        n += (await redis.llen(`${queue}:wait`)) + (await redis.llen(`${queue}:active`));
        n += await redis.zcard(`${queue}:delayed`);
      }
      return n;
    };
    while (new Set(fake.messages.map((m) => m.to)).size < learners && (await left()) > 0) await sleep(500);
    await sleep(2_000); // any duplicate that was going to come
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const counts = new Map<string, number>();
    for (const message of fake.messages) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
    const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0);
    let misses = 0;
    for (let i = 0; i < learners; i++) if (!counts.has(`whatsapp:${phoneOf(i)}`)) misses++;
    console.log(
      `drained the rest at ${drainRate}/s in ${drainSeconds.toFixed(1)} s: ${fake.messages.length} nudges, ` +
        `${duplicates} duplicates, ${misses} misses`,
    );
    console.log(
      `the second nudges scheduled (a day on): ${await redis.zcard(keys.nudgesDue(0))} in bucket 0`,
    );
    const drainPeak = await workers.shift()!.stop();
    console.log(`drain worker peak RSS: ${drainPeak} MiB`);
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await redis.quit().catch(() => redis.disconnect());
    await fake.close();
    await server.stop();
  }
}

if (process.argv[2] === 'worker') await worker();
else await main();
