/**
 * npm run bench (or alone: npx tsx scripts/bench/interactive-latency.ts) — WhatsApp buttons: the
 * time from a webhook being sent to its turn's interactive message reaching Twilio.
 *
 * The real server (a child process) on a throwaway redis-server, with its outbound workers, sends
 * through the real twilio client to the fake Twilio in this process, after `whatsapp:sync` made
 * the course's buttons and lists there. Every message of the run ends on a choice (hola: welcome +
 * language buttons; 1: the menu list; then MENU: the menu list), so every turn goes through the
 * sender. First the most turns per second the server answers (closed loop, 32 at a time), then an
 * open loop at half that rate; for each turn, from the webhook's send to the fake Twilio receiving
 * its last message (the interactive one): p50, p95, p99. The open loop starts once every send of
 * the closed loop has arrived, and the script waits until every open-loop turn's interactive
 * message has (up to 30 s), naming any that never came. WHATSAPP_RATE_PER_SECOND is set high
 * (1,000) so the sender's pacing, which a real number's Twilio limit sets, is not what is measured.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { runWhatsAppSync } from '../../src/content-tools/whatsapp-sync.js';
import { createTwilioClient } from '../../src/messaging/twilio-client.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { WhatsAppContentStore } from '../../src/store/whatsapp-content-store.js';
import { startFakeTwilio } from '../../tests/support/fake-twilio.js';
import { freePort, startRedis } from '../../tests/support/redis-server.js';
import {
  inboundParams,
  signTwilioRequest,
  TEST_TWILIO,
  twilioForm,
} from '../../tests/support/twilio-signing.js';

const PUBLIC_URL = 'https://ayni.bench';
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const LEARNERS = 4_000;
const PREFIX = 'ayni:';

const redisServer = await startRedis();
const redis = new Redis(redisServer.url);
const fake = await startFakeTwilio();
const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });
const client = createTwilioClient({ ...TEST_TWILIO, apiUrl: fake.url });
await runWhatsAppSync(runtime, client, new WhatsAppContentStore(redis, new Keyspace(PREFIX)));
const server = await startServer();

/** Learner i's n-th message: every one ends on a choice, so every turn goes through the sender. */
const bodyOf = (n: number) => (n === 0 ? 'hola' : n === 1 ? '1' : 'MENU');
const phoneOf = (i: number) => `+5916${String(i).padStart(7, '0')}`;
const sentCount = new Array<number>(LEARNERS).fill(0);
let sid = 0;

/** Sends learner i's next message; resolves with when it was sent (ms, performance.now()). */
async function webhook(i: number): Promise<number> {
  const params = inboundParams({
    from: `whatsapp:${phoneOf(i)}`,
    body: bodyOf(sentCount[i]!++),
    messageSid: `SM${String(++sid).padStart(32, '0')}`,
  });
  const at = performance.now();
  const response = await fetch(`${server.url}/twilio/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest(TEST_TWILIO.authToken, `${PUBLIC_URL}/twilio/messages`, params),
    },
    body: twilioForm(params),
  });
  if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  await response.text();
  return at;
}

/** Closed loop: 32 at a time for SECONDS/2; turns answered per second. */
async function maxRate(): Promise<{ rate: number; turns: Map<number, number> }> {
  let done = 0;
  let next = 0;
  const turns = new Map<number, number>();
  const until = performance.now() + (SECONDS / 2) * 1000;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (performance.now() < until) {
        const learner = next++ % LEARNERS;
        turns.set(learner, (turns.get(learner) ?? 0) + 1);
        await webhook(learner);
        done++;
      }
    }),
  );
  return { rate: done / (SECONDS / 2), turns };
}

/** Open loop at `rate`/s; each turn's webhook time, per learner in order. */
async function steady(rate: number, first: number): Promise<Map<number, number[]>> {
  const sentAt = new Map<number, number[]>();
  const start = performance.now();
  const total = Math.round(rate * SECONDS);
  const pending: Promise<void>[] = [];
  for (let j = 0; j < total; j++) {
    const due = start + (j * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const learner = first + (j % (LEARNERS - first));
    pending.push(
      webhook(learner).then((at) => {
        sentAt.set(learner, [...(sentAt.get(learner) ?? []), at]);
      }),
    );
  }
  await Promise.all(pending);
  return sentAt;
}

const { rate: max, turns: closedTurns } = await maxRate();
// The webhook answers once a turn's bubbles are queued: the closed loop's last sends are still on
// their way. The open loop starts on an idle server, and their messages are not counted as its own.
await allArrived(closedTurns, 0);
// The steady run uses learners the closed loop did not reach, so their turns are numbered from 0.
const firstFresh = Math.min(LEARNERS - 500, Math.ceil(max * (SECONDS / 2)) + 1);
const rate = Math.max(1, Math.round(max / 2));
const marker = fake.requests.length;
const t0 = performance.now() - Date.now(); // performance.now() = Date.now() + t0
const sentAt = await steady(rate, firstFresh);
const expected = [...sentAt.values()].reduce((n, list) => n + list.length, 0);
const steadyTurns = new Map([...sentAt].map(([learner, times]) => [learner, times.length]));
const missing = await allArrived(steadyTurns, marker);
if (missing.length > 0)
  console.log(`turns whose buttons never came (learner, turns, arrived): ${missing.join('; ')}`);
const latencies = matchLatencies(sentAt, interactiveSince(marker), t0);
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN);
console.log(
  [
    `WhatsApp buttons, webhook to send (fake Twilio, WHATSAPP_RATE_PER_SECOND=1000, ${SECONDS} s):`,
    `  most turns answered per second (32 at a time): ${Math.round(max)}`,
    `  at half that (${rate} turns/s, open loop): ${latencies.length} of ${expected} turns sent; ` +
      `p50 ${pct(50)} ms, p95 ${pct(95)} ms, p99 ${pct(99)} ms (target p99 under 250 ms)`,
  ].join('\n'),
);

await stop(server.child);
redis.disconnect();
await fake.close();
await redisServer.stop();
process.exit(0);

/**
 * Waits (up to 30 s) until each learner has had one interactive message per turn since `marker`,
 * counting only the messages to that learner; what is still missing then, per learner.
 */
async function allArrived(turns: Map<number, number>, marker: number): Promise<string[]> {
  const short = () => {
    const arrived = new Map<string, number>();
    for (const { to } of interactiveSince(marker)) arrived.set(to, (arrived.get(to) ?? 0) + 1);
    return [...turns]
      .map(([learner, n]) => ({ learner, n, got: arrived.get(`whatsapp:${phoneOf(learner)}`) ?? 0 }))
      .filter(({ n, got }) => got < n)
      .map(({ learner, n, got }) => `${learner}, ${n}, ${got}`);
  };
  for (let tries = 0; short().length > 0 && tries < 600; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 50)); // the last sends still on their way
  }
  return short();
}

/** The interactive messages the fake received since `marker`: who to, and when (Date.now()). */
function interactiveSince(marker: number): { to: string; at: number }[] {
  return fake.requests
    .slice(marker)
    .filter((r) => r.status === 201 && r.params.ContentSid)
    .map((r) => ({ to: r.params.To ?? '', at: r.receivedAt }));
}

/** The k-th webhook of a learner with the k-th interactive message to them. */
function matchLatencies(sentAt: Map<number, number[]>, got: { to: string; at: number }[], t0: number) {
  const byTo = new Map<string, number[]>();
  for (const { to, at } of got) byTo.set(to, [...(byTo.get(to) ?? []), at]);
  const out: number[] = [];
  for (const [learner, times] of sentAt) {
    const arrivals = byTo.get(`whatsapp:${phoneOf(learner)}`) ?? [];
    times.sort((a, b) => a - b);
    times.forEach((at, k) => {
      const arrived = arrivals[k];
      if (arrived !== undefined) out.push(arrived + t0 - at);
    });
  }
  return out;
}

async function startServer(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      ID_SECRET: 'bench-id-secret-0123456789abcdef0123456789',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL,
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: PREFIX,
      TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
      TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
      TWILIO_API_URL: fake.url,
      TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
      WHATSAPP_RATE_PER_SECOND: '1000',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the server did not start');
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
