// GET /api/groups/:id/progress and .csv: each member with the number masked, lessons done with
// right answers, the feasibility result and points in the group's quizzes.
import { beforeAll, describe, expect, it } from 'vitest';
import { GroupStore } from '../../src/groups/group-store.js';
import { QuizStore } from '../../src/groups/quiz/quiz-store.js';
import { csvLine } from '../../src/routes/api/progress.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { auth, numberFor, saveLearner, useBroadcastApp } from './helpers.js';
import { Keyspace } from '../../src/store/keyspace.js';

const { url, prefix, redis } = useTestRedis();
const { app, api } = await useBroadcastApp(url, prefix);
let groupId = '';

const COORDINATOR = numberFor(5, 0);
const ANA = numberFor(5, 1);
const BETO = numberFor(5, 2);
const GONE = numberFor(5, 3);
const lessons = realContent().course.lessons;

beforeAll(async () => {
  await api.registerCoordinator(COORDINATOR, 'Rosa');
  const created = await api.createGroup({
    name: 'Cooperativa, "Las Ñustas"',
    locale: 'qu',
    coordinator: COORDINATOR,
  });
  groupId = created.json<{ id: string }>().id;
  const groups = new GroupStore(redis, new Keyspace(prefix), testPersonIds);
  await saveLearner(redis, prefix, {
    phone: ANA,
    channel: 'whatsapp',
    lang: 'qu',
    done: { [lessons[0]!.id]: [2, 3], [lessons[1]!.id]: [3, 3] },
    feasibility: { areas: { a: 80, b: 60 }, on: '2026-03-01' },
  });
  await saveLearner(redis, prefix, { phone: BETO, lang: 'es', optedOut: true });
  for (const phone of [ANA, BETO, GONE]) await groups.join(groupId, learnerId(phone)); // GONE: no session
  await new QuizStore(redis, new Keyspace(prefix)).finish(groupId, {
    id: 'q1a2b3c4d5',
    flow: lessons[0]!.id,
    finishedAt: Date.parse('2026-03-02T15:00:00Z'),
    participants: 2,
    groupScore: 67,
    scores: { [learnerId(ANA)]: 2, [learnerId(BETO)]: 1 },
  });
});

describe('group progress', () => {
  it('as JSON: masked numbers, lessons, feasibility and quiz points', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/groups/${groupId}/progress`,
      headers: auth,
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      group: { id: string; members: number };
      quizzes: { id: string; lesson: string; groupScore: number }[];
      lessons: { id: string }[];
      members: Record<string, unknown>[];
    }>();
    expect(body.group).toMatchObject({ id: groupId, members: 3 });
    expect(body.lessons.map((l) => l.id)).toEqual(lessons.map((l) => l.id));
    expect(body.quizzes).toMatchObject([{ id: 'q1a2b3c4d5', lesson: lessons[0]!.id, groupScore: 67 }]);
    const byMember = Object.fromEntries(body.members.map((m) => [m.member as string, m]));
    expect(Object.keys(byMember).sort()).toEqual(['+591*****001', '+591*****002']);
    expect(byMember['+591*****001']).toMatchObject({
      channel: 'whatsapp',
      lang: 'qu',
      lessonsDone: 2,
      lessons: { [lessons[0]!.id]: { right: 2, questions: 3 }, [lessons[1]!.id]: { right: 3, questions: 3 } },
      feasibility: { percent: 70, on: '2026-03-01' },
      quizzes: { q1a2b3c4d5: 2 },
    });
    expect(byMember['+591*****002']).toMatchObject({ optedOut: true, lessonsDone: 0, feasibility: null });
    expect(response.body).not.toContain(ANA);
  });

  it('as CSV, safe to open in a spreadsheet', async () => {
    const response = await app.inject({
      method: 'GET',
      url: `/api/groups/${groupId}/progress.csv`,
      headers: auth,
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    expect(response.headers['content-disposition']).toContain(`group-${groupId}-progress.csv`);
    const lines = response.body.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    const header = lines[0]!.split(',');
    expect(header.slice(0, 6)).toEqual([
      'member',
      'channel',
      'language',
      'opted_out',
      'last_message',
      'lessons_done',
    ]);
    expect(header.at(-1)).toBe(`quiz ${lessons[0]!.id} 2026-03-02 (q1a2b3c4d5)`);
    const ana = lines.find((l) => l.startsWith("'+591*****001"))!.split(',');
    expect(ana.slice(1, 4)).toEqual(['whatsapp', 'qu', 'no']);
    expect(ana[5]).toBe('2');
    expect(ana[6]).toBe('2/3');
    expect(ana.at(-3)).toBe('70');
    expect(ana.at(-1)).toBe('2');
    expect(response.body).not.toContain(ANA);
  });

  it('quotes and defuses cells', () => {
    expect(csvLine(['=SUM(A1)', 'a,b', 'say "hi"', '+591***1'])).toBe(
      `'=SUM(A1),"a,b","say ""hi""",'+591***1\r\n`,
    );
  });

  it('needs the admin token, and a group that exists', async () => {
    for (const path of ['progress', 'progress.csv']) {
      const anonymous = await app.inject({ method: 'GET', url: `/api/groups/${groupId}/${path}` });
      expect(anonymous.statusCode).toBe(401);
      const missing = await app.inject({
        method: 'GET',
        url: `/api/groups/zzzzzzzzzz/${path}`,
        headers: auth,
      });
      expect(missing.statusCode).toBe(404);
    }
  });
});
