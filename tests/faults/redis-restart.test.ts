// Redis restarted in the middle of a stream of messages from several learners. A real
// redis-server child with an append-only file (fsync always) is stopped with SIGTERM while the
// messages keep coming, left away for a while, and started again on the same port and data dir;
// Ayni, a real process, is never restarted. While Redis is away every message gets a quick 503
// (Twilio then retries it, with the same MessageSid, as the learners here do); afterwards no
// session has lost anything: each learner's turns, state and replies are exactly those of a
// control learner who sent the same messages with Redis up all along.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REMEMBERED_MESSAGE_IDS, type SessionRecord } from '../../src/store/session-store.js';
import { handledInOrder } from '../support/replay-log.js';
import { startAppProcess, type AppProcess } from '../support/app-server.js';
import { startRedis, type RedisServerHandle } from '../support/redis-server.js';
import { sleep } from '../support/wait-for.js';
import { fetchTransport, Learner, sessionKey, testEnv, type Turn } from '../http/helpers.js';
import { allSessionProblems } from './session-validity.js';

const PREFIX = 'ayni-restart:';
/** While Redis is away a 503 must come well before Twilio's 15 s webhook timeout. */
const QUICKLY_MS = 3_000;
const AWAY_MS = 2_500;
/** Into a lesson and through some of it, with wrong answers, a keyword and the help. */
// prettier-ignore
const SCRIPT = [
  'Hola', '1', '1', '1', '1', '1', '1', '2', '1', '3',
  '1', '2', 'AYUDA', '1', '2', '1', 'MENU', '1',
];
/** Six learners and a control learner per run, numbered apart so runs never share a session. */
const learnersOf = (run: number) => [1, 2, 3, 4, 5, 6].map((n) => `+5917300${run}00${n}`);
const controlOf = (run: number) => `+5917300${run}099`;

let dir: string;
let redisServer: RedisServerHandle;
let app: AppProcess;

beforeAll(async () => {
  // Our own data dir, so that stopping Redis keeps the append-only file for the restart.
  dir = await mkdtemp(path.join(tmpdir(), 'ayni-restart-'));
  redisServer = await startRedis({ appendOnly: true, dir });
  app = await startAppProcess({ env: testEnv(redisServer.url, PREFIX, { LOG_LEVEL: 'warn' }) });
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await redisServer?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A short-lived connection of the test's own, so nothing of the app's is involved. */
async function withRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(redisServer.url, { maxRetriesPerRequest: 1, lazyConnect: true });
  try {
    await client.connect();
    return await work(client);
  } finally {
    client.disconnect();
  }
}

async function session(phone: string): Promise<SessionRecord> {
  const raw = await withRedis((redis) => redis.get(sessionKey(PREFIX, phone)));
  if (!raw) throw new Error(`no session for ${phone}`);
  return JSON.parse(raw) as SessionRecord;
}

async function status(pathname: string): Promise<number> {
  const response = await fetch(app.url + pathname, { signal: AbortSignal.timeout(QUICKLY_MS) });
  await response.arrayBuffer();
  return response.status;
}

interface Attempt {
  status: number;
  ms: number;
  at: number;
}

/** The MessageSid of a learner's n-th message: 'SM' and 32 digits, the same on every try. */
const sidOf = (phone: string, n: number) =>
  `SM${phone.slice(1)}${String(n).padStart(32 - phone.length + 1, '0')}`;

/**
 * One learner's stream: each message is sent until it gets a 200, with the same MessageSid on
 * every try, as Twilio retries. Returns the 200 answers, one per message, and every attempt.
 */
async function stream(
  phone: string,
  progress: Map<string, number>,
): Promise<{ answers: Turn[]; attempts: Attempt[] }> {
  const learner = new Learner(phone, fetchTransport(app.url, 15_000));
  const answers: Turn[] = [];
  const attempts: Attempt[] = [];
  for (const [n, body] of SCRIPT.entries()) {
    for (;;) {
      const at = Date.now();
      const turn = await learner.send(body, sidOf(phone, n));
      attempts.push({ status: turn.status, ms: Date.now() - at, at });
      if (turn.status === 200) {
        answers.push(turn);
        break;
      }
      if (turn.status !== 503) throw new Error(`${phone} "${body}" got ${turn.status}: ${turn.body}`);
      await sleep(100);
    }
    progress.set(phone, answers.length);
    await sleep(30);
  }
  return { answers, attempts };
}

describe.each([
  { run: 1, how: 'stopped (SIGTERM)', stop: () => redisServer.stop() },
  { run: 2, how: 'killed (SIGKILL)', stop: () => redisServer.kill() },
])('Redis $how and started again during a stream of messages', ({ run, stop }) => {
  const LEARNERS = learnersOf(run);
  const CONTROL = controlOf(run);

  it('answers 503 while it is away, then loses no session, without a restart of Ayni', async () => {
    // What the script leads to with Redis up all along.
    const control = new Learner(CONTROL, fetchTransport(app.url, 15_000));
    const controlTurns = await control.sendAll(...SCRIPT);
    const expected = await session(CONTROL);
    const pid = app.child.pid;

    const progress = new Map<string, number>();
    const streams = Promise.all(LEARNERS.map((phone) => stream(phone, progress)));

    // Once every learner is a few messages in (past the first turn, which also indexes them):
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (LEARNERS.every((p) => (progress.get(p) ?? 0) >= 3)) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
      streams.catch((error: unknown) => {
        clearInterval(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
    await stop(); // SIGTERM: Redis flushes the AOF and exits; SIGKILL: the AOF is as fsync left it
    const awayFrom = Date.now();
    await sleep(AWAY_MS / 2);
    expect(await status('/readyz')).toBe(503);
    expect(await status('/healthz')).toBe(200);
    await sleep(AWAY_MS / 2);
    await redisServer.restart(); // same port, same dir: Redis replays the AOF
    const awayUntil = Date.now();

    const results = await streams;

    // Ayni never restarted: the same process, alive and ready.
    expect(app.alive()).toBe(true);
    expect(app.child.pid).toBe(pid);
    expect(await status('/readyz')).toBe(200);

    // While Redis was away: 503s, quickly, and no message went through.
    const attempts = results.flatMap((r) => r.attempts);
    const whileAway = attempts.filter((a) => a.at >= awayFrom && a.at + a.ms <= awayUntil);
    expect(whileAway.length).toBeGreaterThan(LEARNERS.length);
    for (const attempt of whileAway) {
      expect(attempt.status).toBe(503);
      expect(attempt.ms).toBeLessThan(QUICKLY_MS);
    }
    // Only 200s and 503s, ever.
    expect(new Set(attempts.map((a) => a.status))).toEqual(new Set([200, 503]));

    // No session lost: each learner exactly where the control learner is, having counted each
    // message once and answered each exactly as the control learner was answered.
    for (const [i, phone] of LEARNERS.entries()) {
      const { answers } = results[i]!;
      expect(answers.map((t) => t.body)).toEqual(controlTurns.map((t) => t.body));
      const stored = await session(phone);
      expect(stored.turns).toBe(SCRIPT.length);
      expect(stored.snapshot).toEqual(expected.snapshot);
      expect(stored.optedOut).toBe(false);
      expect(stored.lastReplies).toEqual(expected.lastReplies);
      const sids = answers.map((t) => t.sid);
      expect(stored.seen).toEqual(sids.slice(-REMEMBERED_MESSAGE_IDS));
      expect(await withRedis((redis) => handledInOrder(redis, PREFIX, phone, sids))).toEqual(sids);
    }
    const { keys, problems } = await withRedis((redis) => allSessionProblems(redis, PREFIX));
    expect(problems).toEqual([]);
    expect(keys).toBe(run * (LEARNERS.length + 1));
  }, 90_000);
});
