// Two app processes on one Redis run one group quiz: webhooks and API calls alternate between
// them, both run the send and timer workers, and still each member gets each message once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realContent } from '../support/content.js';
import { postJson, startAppProcess, type AppProcess } from '../support/app-server.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';
import { fetchTransport, Learner, testEnv } from '../http/helpers.js';

const ADMIN_TOKEN = 'admin-token-of-at-least-32-characters';

const { url: redisUrl, prefix } = useTestRedis();
let fake: FakeTwilio;
let apps: AppProcess[] = [];

const COORDINATOR = '+59177000000';
const MEMBERS = ['+59177000001', '+59177000002', '+59177000003', '+59177000004'];

beforeAll(async () => {
  fake = await startFakeTwilio();
  const env = testEnv(redisUrl, prefix, {
    ADMIN_TOKEN,
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_API_URL: fake.url,
    TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
    QUIZ_TIMEOUT_SECONDS: '2',
  });
  apps = await Promise.all([startAppProcess({ env }), startAppProcess({ env })]);
}, 60_000);
afterAll(async () => {
  const exits = await Promise.all(apps.map((app) => app.stop()));
  await fake.close();
  // Graceful shutdown: both processes finished their work and exited cleanly on SIGTERM.
  expect(exits.map((e) => e.code)).toEqual([0, 0]);
});

const sentTo = (phone: string) =>
  fake.messages.filter((m) => m.to === `whatsapp:${phone}`).map((m) => m.body);

describe('one quiz, two app processes', () => {
  it('sends each member each message exactly once', async () => {
    const via = (i: number, phone: string) =>
      new Learner(`whatsapp:${phone}`, fetchTransport(apps[i % 2]!.url));
    const registered = await postJson(
      apps[0]!,
      '/api/coordinators',
      { phone: COORDINATOR, name: 'Rosa' },
      ADMIN_TOKEN,
    );
    expect(registered.status).toBe(201);
    const group = { name: 'Mineros', locale: 'es', coordinator: COORDINATOR };
    const { id, code } = (
      await postJson<{ id: string; code: string }>(apps[1]!, '/api/groups', group, ADMIN_TOKEN)
    ).json;
    for (const [i, phone] of MEMBERS.entries()) await via(i, phone).send(`UNIRME ${code}`);

    const lesson = realContent().course.lessons[0]!;
    const started = await postJson(apps[1]!, `/api/groups/${id}/quizzes`, { lesson: lesson.id }, ADMIN_TOKEN);
    expect(started.status).toBe(201);
    const again = await postJson(apps[0]!, `/api/groups/${id}/quizzes`, { lesson: lesson.id }, ADMIN_TOKEN);
    expect(again.status).toBe(409);

    const questions = lesson.steps.filter((s) => s.type === 'question');
    const t = realContent().translator;
    for (const [n, question] of questions.entries()) {
      if (question.type !== 'question') throw new Error('unreachable');
      const text = t.t('es', `${lesson.id}:${question.text}`);
      await waitFor(
        `question ${n + 1}`,
        () => MEMBERS.every((m) => sentTo(m).some((b) => b.includes(text))),
        15_000,
      );
      // All answer at once, through both processes; on the first question one member stays
      // silent so that it closes by its timer, in whichever process takes the job.
      const answering = n === 0 ? MEMBERS.slice(0, 3) : MEMBERS;
      await Promise.all(answering.map((phone, i) => via(i + n, phone).send(String(question.answer))));
    }
    await waitFor(
      'leaderboards',
      () => MEMBERS.every((m) => sentTo(m).some((b) => b.includes('Fin del quiz'))),
      15_000,
    );
    // Each message is its own send: a result may come after the leaderboard.
    await waitFor(
      'every message at every member',
      () => MEMBERS.every((m) => sentTo(m).length >= 2 + 2 * questions.length),
      15_000,
    );
    // Let any duplicate that was going to happen arrive.
    await sleep(1_000);
    for (const phone of MEMBERS) {
      const bodies = sentTo(phone);
      const counts = new Map<string, number>();
      for (const body of bodies) counts.set(body, (counts.get(body) ?? 0) + 1);
      expect([...counts.values()].every((c) => c === 1)).toBe(true);
      // start, then a question and its result per question, then the end
      expect(bodies).toHaveLength(2 + 2 * questions.length);
    }
  });
});
