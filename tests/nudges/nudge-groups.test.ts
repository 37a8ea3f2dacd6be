// Nudges and groups: a member inside a running group quiz gets none (each skipped and counted),
// a group whose coordinator turned nudges off gets none, and a learner who writes again after a
// nudge counts as come back, for their group and overall (admin API).
import { describe, expect, it } from 'vitest';
import { adminApi, auth } from '../broadcasts/helpers.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { nextNudgeOf, nudgeNumber, nudgesTo, useNudgeApp } from './helpers.js';

const { url, prefix, redis } = useTestRedis();
const { app, fake } = await useNudgeApp(url, prefix, {
  NUDGE_AFTER: '2s,4s',
  NUDGE_QUIET_HOURS: '',
  QUIZ_TIMEOUT_SECONDS: '600',
});
const api = adminApi(app);
const learner = (from: string) => new Learner(from, injectTransport(app));
const COORDINATOR = nudgeNumber(200);

async function group(name: string): Promise<{ id: string; code: string }> {
  const created = await api.createGroup({ name, locale: 'es', coordinator: COORDINATOR });
  expect(created.statusCode).toBe(201);
  return created.json<{ id: string; code: string }>();
}

async function figures(group?: string): Promise<{ sent: number; skipped: number; back: number }> {
  const query = group ? `?group=${group}` : '';
  const reply = await app.inject({ method: 'GET', url: `/api/nudges${query}`, headers: auth });
  expect(reply.statusCode).toBe(200);
  return reply.json();
}

/** A member of the group, in its first lesson. */
async function memberInLesson(phone: string, code: string): Promise<Learner> {
  const member = learner(`whatsapp:${phone}`);
  await member.sendAll('hola', '1', `UNIRME ${code}`, 'MENU', '1', '1');
  return member;
}

describe('nudges in groups', () => {
  it('skips a member inside a running quiz and a group with nudges off; counts comebacks', async () => {
    expect((await api.registerCoordinator(COORDINATOR, 'Rosa')).statusCode).toBe(201);
    const quizzing = await group('Quiz');
    const off = await group('Silencio');
    const back = await group('Vuelta');
    const turnedOff = await app.inject({
      method: 'PUT',
      url: `/api/groups/${off.id}/nudges`,
      headers: auth,
      payload: { enabled: false },
    });
    expect(turnedOff.json()).toEqual({ id: off.id, nudges: 'off' });

    const [inQuiz, silenced, returning] = [201, 202, 203].map(nudgeNumber) as [string, string, string];
    await memberInLesson(inQuiz, quizzing.code);
    const lesson = app.content.course.lessons[0]!.id;
    const started = await app.inject({
      method: 'POST',
      url: `/api/groups/${quizzing.id}/quizzes`,
      headers: auth,
      payload: { lesson },
    });
    expect(started.statusCode).toBe(201);
    await memberInLesson(silenced, off.code);
    const comer = await memberInLesson(returning, back.code);

    await waitFor(
      'the returning learner’s nudge',
      () => nudgesTo(fake, `whatsapp:${returning}`).length === 1,
    );
    await comer.send('1');
    await waitFor('the comeback counted', async () => (await figures(back.id)).back === 1);

    await waitFor(
      'both of the quiz member’s nudges skipped',
      async () => (await figures(quizzing.id)).skipped === 2,
      15_000,
    );
    await waitFor(
      'the group without nudges dropped',
      async () => (await nextNudgeOf(redis, prefix, silenced)) === null,
    );
    expect(nudgesTo(fake, `whatsapp:${inQuiz}`)).toEqual([]);
    expect(nudgesTo(fake, `whatsapp:${silenced}`)).toEqual([]);
    expect(await figures(off.id)).toEqual({ sent: 0, skipped: 0, back: 0, days: 30, group: off.id });
    const overall = await figures();
    expect(overall.back).toBe(1);
    expect(overall.skipped).toBe(2);
    expect(overall.sent).toBeGreaterThanOrEqual(1);
  });

  it('answers 404 for a group that does not exist and 400 for a malformed body', async () => {
    const missing = await app.inject({
      method: 'PUT',
      url: '/api/groups/zzzzzzzzzz/nudges',
      headers: auth,
      payload: { enabled: true },
    });
    expect(missing.statusCode).toBe(404);
    const malformed = await app.inject({
      method: 'PUT',
      url: '/api/groups/zzzzzzzzzz/nudges',
      headers: auth,
      payload: { enabled: 'sometimes' },
    });
    expect(malformed.statusCode).toBe(400);
    const unauthorised = await app.inject({ method: 'GET', url: '/api/nudges' });
    expect(unauthorised.statusCode).toBe(401);
  });
});
