// Three Ayni processes on one Redis, each running the send and quiz-timer workers, with a fake
// Twilio; one of them is killed with SIGKILL in the middle of a group quiz, and the others carry
// the quiz to its end: every member gets every quiz message exactly once (counted per recipient
// at the fake Twilio), the coordinator gets each notice once, and the quiz finishes.
//
// 1. Killed right after a fan-out, with two sends in flight: one that Twilio created but whose
//    answer never came back, one that never reached Twilio. The survivors find the first in
//    Twilio's message list instead of sending it again, and send the second. BullMQ notices the
//    dead worker's jobs by their expired locks (lockDuration and stalledInterval, 30 s each, are
//    not configurable from the environment) and the sender waits out a claim's 45 s in-flight
//    window: this test takes about a minute.
// 2. Killed while the question's timer is pending (the process that started the quiz, whose call
//    scheduled the timer): a survivor takes the delayed job and closes the question.
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryLog } from '../../src/messaging/delivery-log.js';
import { startAppProcess, type AppProcess } from '../support/app-server.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { fakeTwilioEnv } from '../support/twilio-signing.js';
import { fetchTransport, Learner, testEnv } from '../http/helpers.js';
import { ADMIN_TOKEN, api, bodiesTo, repeated } from './cluster.js';
import { Keyspace } from '../../src/store/keyspace.js';

const { redis, url: redisUrl, prefix } = useTestRedis();
const deliveries = new DeliveryLog(redis, new Keyspace(prefix));
const fake = await useFakeTwilioPlus();
const apps: AppProcess[] = [];
let timersConnection: Redis;
let timers: Queue;

const lesson = realContent().course.lessons[0]!;
const questions = lesson.steps.flatMap((s) => (s.type === 'question' ? [s] : []));
const questionText = (n: number) =>
  realContent().translator.t('es', `${lesson.id}:${(questions[n] as { text: string }).text}`);
/** start, then a question and its result per question, then the leaderboard */
const PER_MEMBER = 2 + 2 * questions.length;

function env(quizTimeoutSeconds: number): Record<string, string> {
  return testEnv(redisUrl, prefix, {
    LOG_LEVEL: 'warn',
    ADMIN_TOKEN,
    ...fakeTwilioEnv(fake.url),
    SMS_RATE_PER_SECOND: '20',
    QUIZ_TIMEOUT_SECONDS: String(quizTimeoutSeconds),
  });
}

async function start(quizTimeoutSeconds: number): Promise<AppProcess> {
  const app = await startAppProcess({ env: env(quizTimeoutSeconds) });
  apps.push(app);
  return app;
}

beforeAll(async () => {
  timersConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  timers = new Queue('quiz-timers', { connection: timersConnection, prefix: `${prefix}bull` });
});
afterAll(async () => {
  const exits = await Promise.all(apps.map((app) => app.stop()));
  await timers?.close();
  await timersConnection?.quit();
  // The survivors still shut down cleanly, whatever the dead one left behind.
  for (const exit of exits) if (exit.signal !== 'SIGKILL') expect(exit.code).toBe(0);
}, 60_000);

const messages = () => fake.fake.messages;
const received = (phone: string) => bodiesTo(messages(), `whatsapp:${phone}`);
const has = (phone: string, text: string) => received(phone).some((b) => b.includes(text));
const summary = (phones: string[]) =>
  phones.map((p) => `${p}: ${JSON.stringify(received(p).map((b) => b.slice(0, 40)))}`).join('\n');

interface Group {
  id: string;
  code: string;
}

async function groupWithMembers(
  via: AppProcess[],
  coordinator: string,
  name: string,
  members: string[],
): Promise<Group> {
  expect((await api(via[0]!, '/api/coordinators', { phone: coordinator, name: 'Rosa' })).status).toBe(201);
  const created = await api<Group>(via[0]!, '/api/groups', { name, locale: 'es', coordinator });
  expect(created.status).toBe(201);
  for (const [i, phone] of members.entries()) {
    const learner = new Learner(`whatsapp:${phone}`, fetchTransport(via[i % via.length]!.url));
    await learner.sendAll(`UNIRME ${created.json.code}`);
  }
  // The coordinator hears of each join (by SMS: they never wrote): let those go out first.
  await waitFor('the join notices', () => bodiesTo(messages(), coordinator).length >= members.length, 15_000);
  return created.json;
}

/**
 * Plays the quiz through the given processes: each member answers each question once they have
 * it (all of them right), so a question closes early when everyone has it, else by its timer.
 */
async function playQuiz(
  via: () => AppProcess[],
  members: string[],
  options: { skipAnswers?: number[] } = {},
): Promise<void> {
  for (let n = 0; n < questions.length; n++) {
    const text = questionText(n);
    await waitFor(
      `question ${n + 1} at every member`,
      () => members.every((m) => has(m, text)),
      90_000,
      () => summary(members),
    );
    if (options.skipAnswers?.includes(n)) continue;
    const live = via();
    await Promise.all(
      members.map(async (phone, i) => {
        const learner = new Learner(`whatsapp:${phone}`, fetchTransport(live[i % live.length]!.url));
        const turn = await learner.send(String((questions[n] as { answer: number }).answer));
        expect(turn.status, turn.body).toBe(200);
      }),
    );
  }
}

async function expectExactlyOnce(quizId: string, members: string[], coordinator: string): Promise<void> {
  const keys = [
    `quiz:${quizId}:start`,
    ...questions.flatMap((_q, n) => [`quiz:${quizId}:q${n}`, `quiz:${quizId}:r${n}`]),
    `quiz:${quizId}:end`,
  ];
  // Every send settled: all sent, none failed or skipped.
  await waitFor(
    'every quiz message recorded as sent',
    async () => {
      for (const key of keys) if ((await deliveries.stats(key)).sent < members.length) return false;
      return true;
    },
    90_000,
    () => summary(members),
  );
  for (const key of keys) {
    expect(await deliveries.stats(key), key).toMatchObject({
      queued: members.length,
      sent: members.length,
      failed: 0,
      skipped: 0,
    });
  }
  // Let a duplicate that was going to happen arrive.
  await sleep(1_000);
  for (const phone of members) {
    const bodies = received(phone);
    expect(repeated(bodies), `${phone} got a message twice`).toEqual([]);
    expect(bodies, `${phone}: ${summary([phone])}`).toHaveLength(PER_MEMBER);
    for (let n = 0; n < questions.length; n++)
      expect(bodies.filter((b) => b.includes(questionText(n)))).toHaveLength(1);
    expect(bodies.filter((b) => b.startsWith('Fin del quiz'))).toHaveLength(1);
  }
  // The coordinator: one notice per member who joined, then the quiz's summary, each once.
  await waitFor('the summary', () => bodiesTo(messages(), coordinator).length >= members.length + 1, 15_000);
  const toCoordinator = bodiesTo(messages(), coordinator);
  expect(repeated(toCoordinator)).toEqual([]);
  expect(toCoordinator).toHaveLength(members.length + 1);
}

describe('a process killed with SIGKILL during a group quiz', () => {
  let survivors: AppProcess[] = [];

  it('right after a fan-out, with sends in flight: the others deliver each message exactly once', async () => {
    const coordinator = '+59172000000';
    const members = ['+59172000001', '+59172000002', '+59172000003', '+59172000004', '+59172000005'];
    const [createdUnanswered, neverArrived] = members as [string, string];
    // Alone at first, so that its workers take every send of the fan-out.
    const victim = await start(15);
    const group = await groupWithMembers([victim], coordinator, 'Mineros', members);

    fake.hold([
      { to: `whatsapp:${createdUnanswered}`, when: 'after' },
      { to: `whatsapp:${neverArrived}`, when: 'before' },
    ]);
    const started = await api<{ id: string }>(victim, `/api/groups/${group.id}/quizzes`, {
      lesson: lesson.id,
    });
    expect(started.status).toBe(201);
    const quizId = started.json.id;
    await fake.waitForHeld(2, 10_000);
    const others = members.slice(2);
    await waitFor(
      'the first question at the others',
      () => others.every((m) => has(m, questionText(0))),
      10_000,
    );

    // Two more processes join, then the victim dies with its two sends open.
    survivors = await Promise.all([start(3), start(3)]);
    expect(victim.alive()).toBe(true);
    expect(fake.held).toHaveLength(2);
    await victim.kill();

    await playQuiz(() => survivors, members);
    await waitFor(
      'the leaderboards',
      () => members.every((m) => received(m).some((b) => b.startsWith('Fin del quiz'))),
      90_000,
      () => summary(members),
    );
    await expectExactlyOnce(quizId, members, coordinator);
    // The message Twilio created for the dead process was found in Twilio's list, not sent again.
    expect(fake.listRequests).toBeGreaterThan(0);
    for (const app of survivors) expect(app.alive(), app.output()).toBe(true);
  }, 240_000);

  it('while its question timer is pending: a survivor takes the timer and the quiz finishes', async () => {
    expect(survivors).toHaveLength(2);
    const coordinator = '+59172100000';
    const members = ['+59172100001', '+59172100002', '+59172100003', '+59172100004'];
    // The victim starts the quiz, so its call schedules the first question's timer.
    const victim = await start(4);
    const group = await groupWithMembers([victim, ...survivors], coordinator, 'Feriantes', members);
    const started = await api<{ id: string }>(victim, `/api/groups/${group.id}/quizzes`, {
      lesson: lesson.id,
    });
    expect(started.status).toBe(201);
    const quizId = started.json.id;

    // Everything of the fan-out sent and recorded, nobody has answered: only the timer is left.
    await waitFor(
      'the first question sent to everyone',
      async () =>
        (await deliveries.stats(`quiz:${quizId}:start`)).sent === members.length &&
        (await deliveries.stats(`quiz:${quizId}:q0`)).sent === members.length,
      10_000,
    );
    const timer = await timers.getJob(`close-${quizId}-0`);
    expect(await timer?.getState()).toBe('delayed');
    await victim.kill();

    // Nobody answers the first question: only its timer, now in a survivor's hands, can close it.
    await playQuiz(() => survivors, members, { skipAnswers: [0] });
    await waitFor(
      'the leaderboards',
      () => members.every((m) => received(m).some((b) => b.startsWith('Fin del quiz'))),
      30_000,
      () => summary(members),
    );
    expect(await timer?.getState()).toBe('completed');
    await expectExactlyOnce(quizId, members, coordinator);
    for (const app of survivors) expect(app.alive(), app.output()).toBe(true);
  }, 120_000);
});
