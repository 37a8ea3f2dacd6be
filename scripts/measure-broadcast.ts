/**
 * Measures a broadcast to 100,000 learners (not a test): `npm run bench:broadcast`.
 *
 * In a throwaway redis-server it writes 100,000 learners' sessions (WhatsApp, inside the 24-hour
 * window), then creates one broadcast to all. A worker process (this script again, `worker`
 * mode: the fan-out and send workers, as an app process runs them) enqueues everyone and sends
 * at a limit of 80/s against the fake Twilio, which runs in this process. It prints:
 *   1. the time the fan-out took to enqueue every recipient (with the backlog pause off, so the
 *      figure is the enqueueing itself, not the sending it would otherwise wait for);
 *   2. the send rate over a fixed 10 s window at the 80/s limit;
 *   3. after the worker is replaced by one with a high limit that drains the rest: duplicates
 *      and misses (each learner must have exactly one message);
 *   4. each worker process's peak RSS (VmHWM), and this process's (which holds the fake's
 *      record of every message, so it is not the figure that matters).
 * Options (environment): LEARNERS (100000), RATE (80), WINDOW_SECONDS (10), DRAIN_RATE (5000).
 */
import { Redis } from 'ioredis';
import { createBroadcasts } from '../src/broadcasts/create-broadcasts.js';
import { BroadcastStore } from '../src/broadcasts/broadcast-store.js';
import { dedupeKeyOf } from '../src/broadcasts/broadcast.js';
import { buildContentRuntime } from '../src/plugins/content-runtime.js';
import { initialContext } from '../src/flows/learner-context.js';
import type { OutboundSender } from '../src/messaging/outbound.js';
import { createStores } from '../src/plugins/create-stores.js';
import { Keyspace } from '../src/store/keyspace.js';
import type { SessionRecord } from '../src/store/session-store.js';
import { startFakeTwilio } from '../tests/support/fake-twilio.js';
import { startRedis } from '../tests/support/redis-server.js';
import {
  PREFIX,
  ROOT,
  ids,
  peakRssMiB,
  phoneOf,
  senderFor,
  serveUntilSigterm,
  sleep,
  startWorker,
  type Worker,
} from './measure-worker.js';

const SCRIPT = 'scripts/measure-broadcast.ts';

function broadcastsFor(redis: Redis, redisUrl: string, sender: OutboundSender, rate: number) {
  const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' }, ROOT);
  return createBroadcasts({
    redis,
    redisTarget: redisUrl,
    stores: createStores(redis, new Keyspace(PREFIX), ids),
    sender,
    lessons: runtime.course.lessons.map((l) => l.id),
    spelling: runtime.spelling,
    rates: { sms: rate, whatsapp: rate },
    tz: 'America/La_Paz',
    backlogSeconds: 0,
  });
}

// ---- worker mode: the fan-out and send workers, until SIGTERM ---------------------------------

async function worker(): Promise<void> {
  const redisUrl = process.env.REDIS_URL as string;
  const rate = Number(process.env.RATE);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3 });
  const sender = senderFor(
    createStores(redis, new Keyspace(PREFIX), ids),
    redisUrl,
    process.env.TWILIO_API_URL as string,
    rate,
  );
  const broadcasts = broadcastsFor(redis, redisUrl, sender, rate);
  sender.start();
  broadcasts.start();
  await serveUntilSigterm(
    () => redis.ping(),
    async () => {
      await broadcasts.close();
      await sender.close();
    },
  );
}

// ---- the measurement --------------------------------------------------------------------------

async function main(): Promise<void> {
  const learners = Number(process.env.LEARNERS ?? 100_000);
  const rate = Number(process.env.RATE ?? 80);
  const windowSeconds = Number(process.env.WINDOW_SECONDS ?? 10);
  const drainRate = Number(process.env.DRAIN_RATE ?? 5_000);
  const server = await startRedis();
  const fake = await startFakeTwilio();
  const redis = new Redis(server.url, { maxRetriesPerRequest: 3 });
  const workers: Worker[] = [];
  try {
    console.log(`redis ${server.url}, fake Twilio ${fake.url}; writing ${learners} sessions…`);
    const keys = new Keyspace(PREFIX);
    const now = Date.now();
    for (let start = 0; start < learners; start += 1_000) {
      const batch = redis.pipeline();
      for (let i = start; i < Math.min(learners, start + 1_000); i++) {
        const phone = phoneOf(i);
        const record: SessionRecord = {
          flowVersion: 'bench',
          snapshot: {
            value: 'menu',
            context: { ...initialContext(), lang: (['es', 'ay', 'qu'] as const)[i % 3]! },
          },
          address: `whatsapp:${phone}`,
          lastInboundAt: now,
          optedOut: false,
          turns: 1,
          seen: [],
          lastReplies: [],
        };
        batch
          .set(keys.session(ids.learnerId(phone)), JSON.stringify(record))
          .sadd(keys.learnerIndex(ids.learnerId(phone)), ids.learnerId(phone));
      }
      await batch.exec();
    }

    const env = {
      REDIS_URL: server.url,
      TWILIO_API_URL: fake.url,
      RATE: String(rate),
    };
    workers.push(await startWorker(SCRIPT, env));
    // This process only creates the broadcast and reads its progress.
    const sender = senderFor(createStores(redis, keys, ids), server.url, fake.url, rate);
    const broadcasts = broadcastsFor(redis, server.url, sender, rate);
    const store = new BroadcastStore(redis, keys);
    const created = await broadcasts.service.create({
      target: { all: true },
      text: {
        es: 'Taller el sábado a las 10:00',
        ay: 'Sábado 10:00 tantachäwi',
        qu: 'Sábado 10:00 huñunakuy',
      },
    });
    const id = created.broadcast.id;
    const dedupeKey = dedupeKeyOf(id, 'once');
    console.log(`broadcast ${id}: targeted ${created.broadcast.targeted}`);

    // 1. Enqueueing: from the fan-out's start to its end, as it recorded them.
    for (;;) {
      const progress = await store.progress(id, 'once');
      if (progress.done && progress.startedAt && progress.finishedAt) {
        const seconds = (progress.finishedAt - progress.startedAt) / 1000;
        const queued = (await sender.deliveries.stats(dedupeKey)).queued;
        console.log(
          `enqueue: ${queued} recipients in ${seconds.toFixed(2)} s (${Math.round(queued / seconds)}/s), ` +
            `${progress.pages} pages`,
        );
        break;
      }
      await sleep(100);
    }

    // 2. The send rate over a fixed window, at the limit.
    const before = fake.messages.length;
    const windowStart = Date.now();
    await sleep(windowSeconds * 1000);
    const sent = fake.messages.length - before;
    const elapsed = (Date.now() - windowStart) / 1000;
    console.log(
      `send rate at ${rate}/s: ${sent} messages in ${elapsed.toFixed(1)} s = ${(sent / elapsed).toFixed(1)}/s`,
    );

    // 3. Drain the rest at a high limit, then count duplicates and misses.
    const firstPeak = await workers.shift()!.stop();
    console.log(`worker peak RSS (fan-out of ${learners} + ${windowSeconds} s of sending): ${firstPeak} MiB`);
    const drainStart = Date.now();
    workers.push(await startWorker(SCRIPT, { ...env, RATE: String(drainRate) }));
    for (;;) {
      const stats = await sender.deliveries.stats(dedupeKey);
      if (stats.sent + stats.skipped + stats.failed >= learners) break;
      await sleep(500);
    }
    const drainSeconds = (Date.now() - drainStart) / 1000;
    const counts = new Map<string, number>();
    for (const message of fake.messages) counts.set(message.to, (counts.get(message.to) ?? 0) + 1);
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    let misses = 0;
    for (let i = 0; i < learners; i++) if (!counts.has(`whatsapp:${phoneOf(i)}`)) misses++;
    const stats = await sender.deliveries.stats(dedupeKey);
    console.log(
      `drained the rest at ${drainRate}/s in ${drainSeconds.toFixed(1)} s: ${fake.messages.length} messages, ` +
        `${duplicates} duplicates, ${misses} misses (sent ${stats.sent}, failed ${stats.failed}, skipped ${stats.skipped})`,
    );
    const drainPeak = await workers.shift()!.stop();
    console.log(
      `drain worker peak RSS: ${drainPeak} MiB; this process (fake Twilio's records): ${peakRssMiB('self')} MiB`,
    );
    await broadcasts.close();
    await sender.close();
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await redis.quit().catch(() => redis.disconnect());
    await fake.close();
    await server.stop();
  }
}

if (process.argv[2] === 'worker') await worker();
else await main();
