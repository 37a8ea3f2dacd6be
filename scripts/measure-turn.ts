/**
 * npm run turn-time: how long one turn takes, over 1,000 turns of learners walking through real
 * lessons, against a throwaway redis-server (or REDIS_URL). Two figures: the engine alone (lock,
 * load, transition, save, render) and a whole signed webhook over HTTP on loopback.
 * A measurement script, not a test: the machine is shared and its figures vary run to run.
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from '../src/app.js';
import { DEVELOPMENT_ID_SECRET, loadConfig } from '../src/config.js';
import { buildContentRuntime } from '../src/plugins/content-runtime.js';
import { createConversationEngine } from '../src/plugins/create-engine.js';
import { createStores } from '../src/plugins/create-stores.js';
import { KeyedPersonIds } from '../src/privacy/person-ids.js';
import { parseAddress } from '../src/privacy/phone.js';
import { Keyspace } from '../src/store/keyspace.js';
import { createRedis, waitUntilReady } from '../src/store/redis-client.js';
import { startRedis } from '../tests/support/redis-server.js';
import { inboundParams, signedTwilioRequest } from '../tests/support/twilio-signing.js';
import { lessonScript } from './learner-script.js';

const TURNS = 1_000;
const server = process.env.REDIS_URL ? undefined : await startRedis();
const redisUrl = process.env.REDIS_URL ?? server!.url;
const prefix = `measure:${randomBytes(4).toString('hex')}:`;
const runtime = buildContentRuntime({ flowsDir: 'flows', localesDir: 'locales' });

/** What a learner sends, in order: welcome, language, learn, a lesson, then its steps. */
function script(learner: number): string[] {
  const index = learner % runtime.course.lessons.length;
  return lessonScript(runtime.course.lessons[index]!, index + 1);
}

function* turns() {
  for (let learner = 0; ; learner++) {
    const phone = `+5916${String(learner).padStart(7, '0')}`;
    for (const body of script(learner)) yield { phone, body };
  }
}

function summary(label: string, ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(2);
  console.log(
    `${label}: median ${at(0.5)} ms, p95 ${at(0.95)} ms, p99 ${at(0.99)} ms over ${ms.length} turns`,
  );
}

// The engine alone.
const redis = createRedis(redisUrl);
await waitUntilReady(redis, 3_000);
const { engine } = createConversationEngine(
  runtime,
  createStores(redis, new Keyspace(`${prefix}engine:`), new KeyedPersonIds(DEVELOPMENT_ID_SECRET)),
);
const engineMs: number[] = [];
const source = turns();
for (let i = 0; i < TURNS; i++) {
  const { phone, body } = source.next().value!;
  const started = performance.now();
  await engine.handle({
    address: parseAddress(phone)!,
    body,
    messageSid: `SM${randomBytes(16).toString('hex')}`,
  });
  engineMs.push(performance.now() - started);
}

// The whole webhook over HTTP.
const token = 'measure-token';
const publicUrl = 'https://ayni.example';
const config = loadConfig({
  TWILIO_AUTH_TOKEN: token,
  ID_SECRET: DEVELOPMENT_ID_SECRET,
  PUBLIC_URL: publicUrl,
  REDIS_URL: redisUrl,
  REDIS_PREFIX: `${prefix}http:`,
  LOG_LEVEL: 'warn',
});
const app = await buildApp({ config, runtime });
const address = await app.listen({ port: 0, host: '127.0.0.1' });
const httpMs: number[] = [];
const httpSource = turns();
for (let i = 0; i < TURNS; i++) {
  const { phone, body } = httpSource.next().value!;
  const request = signedTwilioRequest(
    token,
    `${publicUrl}/twilio/messages`,
    inboundParams({ from: phone, body }),
  );
  const started = performance.now();
  const response = await fetch(`${address}/twilio/messages`, {
    method: 'POST',
    headers: request.headers,
    body: request.payload,
  });
  await response.text();
  httpMs.push(performance.now() - started);
  if (response.status !== 200) throw new Error(`turn ${i} answered ${response.status}`);
}

summary('engine turn (lock, load, transition, save, render)', engineMs);
summary('webhook turn over HTTP (signature, parse, engine, TwiML)', httpMs);

await app.close();
for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 })) {
  if ((batch as string[]).length) await redis.unlink(...(batch as string[]));
}
redis.disconnect();
await server?.stop();
