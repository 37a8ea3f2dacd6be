// Redis goes away and comes back while Ayni keeps running. Meanwhile Twilio must get a quick 503
// (so it retries or uses its fallback URL) rather than a 500 or a request hanging towards its 15 s
// timeout; afterwards the conversation goes on where it was, and the retried message counts once.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-server.js';
import { startRedis, type RedisServerHandle } from '../support/redis-server.js';
import { randomSid } from '../support/twilio-signing.js';
import { waitFor } from '../support/wait-for.js';
import type { Step } from '../../src/content/flow-schema.js';
import type { SessionRecord } from '../../src/store/session-store.js';
import { firstLesson, rightAnswer, textsFor, wrongAnswer } from './course-walk.js';
import { bolivianNumber, fetchTransport, Learner, sessionKey, testEnv } from './helpers.js';

/** Twilio gives up on a webhook after 15 s; while Redis is down, Ayni must answer well before. */
const QUICKLY_MS = 3_000;
const PREFIX = 'ayni-outage:';
const L = firstLesson();
const QUESTION = L.path[L.firstQuestion] as Step;
const AFTER = L.path[L.firstQuestion + 1] as Step;

let dir: string;
let redisServer: RedisServerHandle;
let app: AppProcess;
// For the second scenario: a Redis that is down when its app starts.
let lateDir: string;
let late: RedisServerHandle;
let lateApp: AppProcess;

beforeAll(async () => {
  // Our own data dirs, so that stop() (a clean shutdown) keeps the append-only file for restart().
  dir = await mkdtemp(path.join(tmpdir(), 'ayni-outage-'));
  lateDir = await mkdtemp(path.join(tmpdir(), 'ayni-late-'));
  [redisServer, late] = await Promise.all([
    startRedis({ appendOnly: true, dir }),
    startRedis({ appendOnly: true, dir: lateDir }),
  ]);
  await late.stop();
  // Both apps start together: starting one costs more than the rest of this file.
  [app, lateApp] = await Promise.all([
    startAppProcess({ env: testEnv(redisServer.url, PREFIX, { LOG_LEVEL: 'warn' }) }),
    startAppProcess({ env: testEnv(late.url, PREFIX, { LOG_LEVEL: 'warn' }), waitForRedis: false }),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([app?.stop(), lateApp?.stop()]);
  await Promise.all([redisServer?.stop(), late?.stop()]);
  for (const d of [dir, lateDir]) if (d) await rm(d, { recursive: true, force: true });
});

/** Reads the stored session with a short-lived connection of its own. */
async function storedSession(phone: string): Promise<string | null> {
  const client = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    return await client.get(sessionKey(PREFIX, phone));
  } finally {
    client.disconnect();
  }
}

/** GET on an app process; a request still running after QUICKLY_MS fails the test. */
async function get(pathname: string, on: AppProcess = app): Promise<number> {
  const response = await fetch(on.url + pathname, { signal: AbortSignal.timeout(QUICKLY_MS) });
  await response.arrayBuffer();
  return response.status;
}

function waitUntilReady(on: AppProcess, timeoutMs = 15_000): Promise<boolean> {
  return waitFor(
    '/readyz to answer 200',
    async () => (await get('/readyz', on).catch(() => 0)) === 200,
    timeoutMs,
    () => on.output(),
  );
}

describe('a Redis outage', () => {
  it('gets quick 503s, then the conversation goes on where it was, and the retry counts once', async () => {
    const learner = new Learner(bolivianNumber(), fetchTransport(app.url, QUICKLY_MS));
    const x = textsFor('es', 'sms');

    // Into the first lesson, at its first question.
    const toQuestion = L.path.slice(1, L.firstQuestion + 1).map(() => '1');
    const turns = await learner.sendAll('Hola', '1', L.sectionNumber, L.number, ...toQuestion);
    expect(turns.at(-1)?.text).toContain(x.step(L.lesson, QUESTION));
    const before = await storedSession(learner.phone);
    expect(before).not.toBeNull();

    await redisServer.stop();

    // The right answer, sent while Redis is down: 503, quickly (a hang would abort the fetch).
    const whileDown = randomSid();
    const refused = await learner.send(rightAnswer(QUESTION), whileDown);
    expect(refused.status).toBe(503);
    const another = await learner.send('1');
    expect(another.status).toBe(503);
    expect(await get('/readyz')).toBe(503);
    expect(await get('/healthz')).toBe(200);
    expect(app.alive()).toBe(true);

    await redisServer.restart();
    await waitUntilReady(app);
    expect(app.alive()).toBe(true);
    expect(await storedSession(learner.phone)).toBe(before);

    // A new message: still at the same question (a wrong answer gets that question's hint).
    const wrong = await learner.send(wrongAnswer(QUESTION));
    expect(wrong.status).toBe(200);
    expect(wrong.text).toContain(x.hint(L.lesson, QUESTION));

    // Twilio retries the message Ayni could not take: handled now, once.
    const retried = await learner.send(rightAnswer(QUESTION), whileDown);
    expect(retried.status).toBe(200);
    expect(retried.text).toContain(x.s('common:right', { explanation: x.explanation(L.lesson, QUESTION) }));
    expect(retried.text).toContain(x.step(L.lesson, AFTER));
    const afterRetry = JSON.parse((await storedSession(learner.phone)) ?? 'null') as SessionRecord;

    const retriedAgain = await learner.send(rightAnswer(QUESTION), whileDown);
    expect(retriedAgain.status).toBe(200);
    expect(retriedAgain.body).toBe(retried.body);
    const final = JSON.parse((await storedSession(learner.phone)) ?? 'null') as SessionRecord;
    expect(final).toEqual(afterRetry);
    expect(final.turns).toBe(turns.length + 2);
    expect(final.snapshot.value).toEqual({ flow: { [L.lesson.id]: AFTER.id } });
  });

  it('leaves the process running, and ready', async () => {
    expect(app.alive()).toBe(true);
    expect(await get('/readyz')).toBe(200);
  });
});

describe('an app that starts while Redis is down', () => {
  it('answers 503 until Redis comes up, then serves without a restart', async () => {
    const learner = new Learner(bolivianNumber(), fetchTransport(lateApp.url, QUICKLY_MS));
    const sid = randomSid();
    expect((await learner.send('Hola', sid)).status).toBe(503);
    expect(await get('/readyz', lateApp)).toBe(503);

    await late.restart();
    await waitUntilReady(lateApp);
    const welcome = await learner.send('Hola', sid);
    expect(welcome.status).toBe(200);
    expect(welcome.text.split('\n')).toContain('1 Español');
    expect(lateApp.alive()).toBe(true);
  });
});
