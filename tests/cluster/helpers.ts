// Shared by the Redis Cluster and Sentinel tests: two app processes on one Redis setup, learners
// who text like Twilio delivers (a 503 is retried with the same MessageSid until it is answered),
// and the admin API over HTTP.
import { postJson, startAppProcess, type AppProcess } from '../support/app-server.js';
import type { FakeTwilio } from '../support/fake-twilio.js';
import { randomSid, TEST_TWILIO } from '../support/twilio-signing.js';
import { sleep } from '../support/wait-for.js';
import { bolivianNumber, fetchTransport, Learner, testEnv, type Turn } from '../http/helpers.js';

export const ADMIN_TOKEN = 'cluster-admin-token-of-32-characters';

/** Two app processes whose Redis is given by `redis` (REDIS_CLUSTER_NODES or REDIS_SENTINELS…). */
export async function startTwoApps(fake: FakeTwilio, redis: Record<string, string>): Promise<AppProcess[]> {
  // REDIS_URL points nowhere: the cluster or sentinel settings must be what the apps use.
  const env = testEnv('redis://127.0.0.1:1', 'ayni:', {
    ...redis,
    ADMIN_TOKEN,
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_API_URL: fake.url,
    TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
    QUIZ_TIMEOUT_SECONDS: '3',
  });
  return Promise.all([startAppProcess({ env }), startAppProcess({ env })]);
}

/** A learner on WhatsApp whose messages alternate between the processes. */
export function learnerVia(apps: AppProcess[], phone = bolivianNumber()): Learner {
  let next = 0;
  return new Learner(`whatsapp:${phone}`, (request) =>
    fetchTransport(apps[next++ % apps.length]!.url)(request),
  );
}

/** What sendUntilAnswered saw, for the figures a test prints: retries, and the longest wait for an answer. */
export const deliveries = { retried: 0, slowestMs: 0 };

/**
 * Sends `body` as Twilio delivers it: a 5xx or a dropped connection is retried with the same
 * MessageSid (Twilio's retry and fallback URL) until it is answered or `timeoutMs` passes.
 */
export async function sendUntilAnswered(learner: Learner, body: string, timeoutMs = 60_000): Promise<Turn> {
  const sid = randomSid();
  const started = Date.now();
  const deadline = started + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const turn = await learner.send(body, sid).catch((error: Error) => ({ status: 0, body: error.message }));
    if (turn.status === 200) {
      deliveries.slowestMs = Math.max(deliveries.slowestMs, Date.now() - started);
      return turn as Turn;
    }
    deliveries.retried++;
    if (Date.now() > deadline)
      throw new Error(`"${body}" from ${learner.phone} not answered: ${turn.status} ${turn.body}`);
    // Twilio waits before it retries; a short pause keeps the retries from flooding the machine.
    await sleep(Math.min(100 * (attempt + 1), 500));
  }
}

export function api<T = unknown>(app: AppProcess, path: string, body: unknown) {
  return postJson<T>(app, path, body, ADMIN_TOKEN);
}

export async function getJson<T>(app: AppProcess, path: string): Promise<{ status: number; json: T }> {
  const response = await fetch(app.url + path, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, json: (await response.json()) as T };
}

/** Bodies that arrived more than once at one recipient: [] when each came exactly once. */
export function repeatedBodies(fake: FakeTwilio, to: string): string[] {
  const counts = new Map<string, number>();
  for (const m of fake.messages.filter((m) => m.to === to)) counts.set(m.body, (counts.get(m.body) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([body, n]) => `${n}× ${body}`);
}

/** A reply that treats the learner as new: the welcome or the language question. */
export const isGreeting = (text: string) => text.includes('Soy Ayni') || text.includes('Elige tu idioma');

/** Whether every learner has received `body` from the fake Twilio (a waitFor condition). */
export function reachedEveryone(fake: FakeTwilio, learners: Learner[], body: string): () => boolean {
  return () => learners.every((l) => fake.messages.some((m) => m.to === l.from && m.body === body));
}

/**
 * Each learner texts MENU and 4 by turns, each message sent until answered, for at least 6 rounds
 * and until `over()` (at most `maxRounds`): the replies of each learner, in order.
 */
export function textThrough(
  learners: Learner[],
  over: () => boolean,
  maxRounds: number,
): Promise<string[][]> {
  return Promise.all(
    learners.map(async (learner) => {
      const replies: string[] = [];
      for (let round = 0; (round < 6 || !over()) && round < maxRounds; round++)
        replies.push((await sendUntilAnswered(learner, round % 2 ? '4' : 'MENU')).text);
      return replies;
    }),
  );
}
