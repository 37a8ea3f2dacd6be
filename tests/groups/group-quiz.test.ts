// A whole group quiz over signed webhooks, with the real outbound sender, BullMQ timers and a
// fake Twilio: a coordinator creates a group by text, five members join, the coordinator starts
// a quiz; members answer right, wrong, twice, not at all, and one sends STOP mid-quiz. The first
// question closes by timeout, the second because everyone answered; then the leaderboard.
import { describe, expect, it } from 'vitest';
import { learnerId } from '../support/person-ids.js';
import { QuizStore } from '../../src/groups/quiz/quiz-store.js';
import { realContent } from '../support/content.js';
import { useFakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { fakeTwilioEnv } from '../support/twilio-signing.js';
import { injectTransport, Learner, useTestApp } from '../http/helpers.js';
import { Keyspace } from '../../src/store/keyspace.js';

const { url, prefix, redis } = useTestRedis();
const fake = await useFakeTwilio();
const app = await useTestApp(url, prefix, {
  env: {
    ADMIN_TOKEN: 'admin-token-of-at-least-32-characters',
    ...fakeTwilioEnv(fake.url),
    QUIZ_TIMEOUT_SECONDS: '4',
  },
});

const COORDINATOR = '+59176000000';
const MEMBERS = ['+59176000001', '+59176000002', '+59176000003', '+59176000004', '+59176000005'];

const sentTo = (phone: string) =>
  fake.messages.filter((m) => m.to === `whatsapp:${phone}`).map((m) => m.body);

describe('a group quiz', () => {
  const lesson = realContent().course.lessons[0]!;
  const questions = lesson.steps.filter((s) => s.type === 'question');
  const t = (key: string, vars?: Record<string, string | number>) =>
    realContent().translator.t('es', key, vars);
  let code = '';
  const coordinator = () => new Learner(`whatsapp:${COORDINATOR}`, injectTransport(app));
  const member = (i: number) => new Learner(`whatsapp:${MEMBERS[i]}`, injectTransport(app));

  it('a coordinator creates a group by text and members join with its code', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/coordinators',
      headers: { authorization: 'Bearer admin-token-of-at-least-32-characters' },
      payload: { phone: COORDINATOR, name: 'Rosa' },
    });
    expect(created.statusCode).toBe(201);
    await coordinator().sendAll('hola', '1');
    const group = await coordinator().send('GRUPO Mercado Rodríguez');
    code = /Código: ([A-Z0-9]{6})/.exec(group.text)?.[1] ?? '';
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);

    for (const i of [0, 1, 2, 3]) {
      const joined = await member(i).send(`UNIRME ${code}`);
      expect(joined.text).toContain(t('common:group_joined', { name: 'Mercado Rodríguez', count: i + 1 }));
      // A newcomer who joins skips the language choice: the group's language, and the menu.
      expect(joined.text).toContain(t('common:menu'));
    }
    await member(4).sendAll('hola', '1');
    const byCodeAlone = await member(4).send(code.toLowerCase());
    expect(byCodeAlone.text).toContain(t('common:group_joined', { name: 'Mercado Rodríguez', count: 5 }));
    expect(await app.groups.count((await app.groups.byCode(code))!.id)).toBe(5);
    // The coordinator hears of each join.
    await waitFor('five join notices', () => sentTo(COORDINATOR).length === 5, 15_000);
    expect(sentTo(COORDINATOR).every((body) => body.includes('Mercado Rodríguez'))).toBe(true);
  });

  it('runs the quiz: answers, a timeout, an early close, STOP mid-quiz, the leaderboard', async () => {
    const started = await coordinator().send(`QUIZ ${code} 1`);
    expect(started.text).toContain(
      t('common:quiz_started', { group: 'Mercado Rodríguez', total: questions.length, members: 5 }),
    );
    const q1 = questions[0]!;
    if (q1.type !== 'question') throw new Error('unreachable');
    const q1Text = t(`${lesson.id}:${q1.text}`);
    await waitFor('question 1 to everyone', () =>
      MEMBERS.every((m) => sentTo(m).some((b) => b.includes(q1Text))),
    );

    const wrong = String(q1.answer === 1 ? 2 : 1);
    expect((await member(0).send(String(q1.answer))).text).toBe(t('common:quiz_received'));
    expect((await member(1).send(wrong)).text).toBe(t('common:quiz_received'));
    expect((await member(2).send(String(q1.answer))).text).toBe(t('common:quiz_received'));
    expect((await member(2).send(wrong)).text).toBe(t('common:quiz_already'));
    // Keywords still work during a quiz; member 4 opts out and hears nothing more.
    expect((await member(3).send('STOP')).text).toBe(t('common:stopped'));
    // Member 5 does not answer: the question closes when its timer fires (4 s here: the answers
    // above must all be in before, even on a busy machine).
    const q2 = questions[1]!;
    if (q2.type !== 'question') throw new Error('unreachable');
    const q2Text = t(`${lesson.id}:${q2.text}`);
    await waitFor(
      'question 2 after the timeout',
      () => sentTo(MEMBERS[4]!).some((b) => b.includes(q2Text)),
      15_000,
    );
    const result1 = t('common:quiz_result', { answered: 3, members: 4, right: 2, number: q1.answer });
    // Each message is its own send: member 5's question 2 may come before another's result 1.
    await waitFor('result 1 to everyone still in', () =>
      [0, 1, 2, 4].every((i) => sentTo(MEMBERS[i]!).some((b) => b.includes(result1))),
    );
    for (const i of [0, 1, 2, 4]) expect(sentTo(MEMBERS[i]!).some((b) => b.includes(result1))).toBe(true);

    // Everyone still in answers the second question: it closes at once, then the leaderboard.
    for (const i of [0, 1, 2, 4]) await member(i).send(String(q2.answer));
    await waitFor(
      'the coordinator summary',
      () => sentTo(COORDINATOR).some((b) => b.includes('Quiz')),
      15_000,
    );
    await waitFor('leaderboards', () =>
      [0, 1, 2, 4].every((i) => sentTo(MEMBERS[i]!).some((b) => b.includes('Fin del quiz'))),
    );

    for (const i of [0, 1, 2, 4]) {
      const bodies = sentTo(MEMBERS[i]!);
      // Exactly once each: the start, both questions, both results, the end.
      expect(bodies.filter((b) => b.includes(q1Text))).toHaveLength(1);
      expect(bodies.filter((b) => b.includes(q2Text))).toHaveLength(1);
      expect(bodies.filter((b) => b.includes('Fin del quiz'))).toHaveLength(1);
    }
    // Member 4 got the start and question 1, nothing after STOP.
    expect(sentTo(MEMBERS[3]!).some((b) => b.includes(q2Text) || b.includes('Fin del quiz'))).toBe(false);
    const top = sentTo(MEMBERS[0]!).find((b) => b.includes('Fin del quiz'))!;
    // Members 0 and 2 tie on points; a tie is ordered by learner id, a keyed hash: first or second.
    expect(top).toMatch(/Tu lugar: [12] de/);
    expect(top).toContain(`${questions.length} de ${questions.length} aciertos`);

    const group = (await app.groups.byCode(code))!;
    const quizStore = new QuizStore(redis, new Keyspace(prefix));
    // The result is stored after the leaderboards are handed to the sender, so it can come later.
    const result = await waitFor('the quiz result', async () => (await quizStore.results(group.id))[0]);
    // Each member's points are kept with the member, the group's result only has totals.
    expect(result).not.toHaveProperty('scores');
    expect((await quizStore.points(learnerId(MEMBERS[0]!)))[result.id]).toBe(2);
    expect((await quizStore.points(learnerId(MEMBERS[1]!)))[result.id]).toBe(1);
    expect((await quizStore.points(learnerId(MEMBERS[4]!)))[result.id]).toBe(1);
    expect(result!.participants).toBe(4);
  });

  it('reads a member’s text normally once the quiz is over', async () => {
    expect((await member(0).send('1')).text).not.toBe(t('common:quiz_received'));
  });
});
