// The admin API for coordinators, groups and lessons on a bare Fastify: the token, strict input
// (unknown fields, bad numbers, bad JSON, big bodies) and the happy paths.
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoordinatorStore } from '../../src/groups/coordinator-store.js';
import { GroupStore } from '../../src/groups/group-store.js';
import { adminGroupsApi } from '../../src/routes/api/groups-api.js';
import { qualifyKey } from '../../src/flows/course.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { Keyspace } from '../../src/store/keyspace.js';

const TOKEN = 'admin-token-for-group-tests';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const COORDINATOR = '+59171234567';

const { redis, prefix, clear } = useTestRedis();
const coordinators = new CoordinatorStore(redis, new Keyspace(prefix));
const groups = new GroupStore(redis, new Keyspace(prefix), testPersonIds);
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify({ logger: false });
  const { course, translator } = realContent();
  await app.register(adminGroupsApi, {
    adminToken: TOKEN,
    coordinators,
    groups,
    course,
    translator,
    quizzes: null,
  });
  await app.ready();
});
afterAll(() => app.close());
beforeEach(async () => {
  await clear();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = AUTH) =>
  app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
/** A coordinator registration whose body is this text, sent as JSON whatever it holds. */
const postCoordinatorText = (text: string, headers: Record<string, string> = AUTH) =>
  app.inject({
    method: 'POST',
    url: '/api/coordinators',
    headers: { ...headers, 'content-type': 'application/json' },
    payload: text,
  });
const keyCount = async () => (await redis.keys(`${prefix}*`)).length;

describe('admin API: the token', () => {
  const cases: Array<[string, Record<string, string>]> = [
    ['no token', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['the token without Bearer', { authorization: TOKEN }],
    ['a token that only starts right', { authorization: `Bearer ${TOKEN}x` }],
  ];

  it.each(cases)('%s gets 401 and changes nothing', async (_label, headers) => {
    const calls = [
      post('/api/coordinators', { phone: COORDINATOR, name: 'Rosa' }, headers),
      post('/api/groups', { name: 'G', locale: 'es', coordinator: COORDINATOR }, headers),
      app.inject({ method: 'GET', url: '/api/groups/abcdefghij', headers }),
      app.inject({ method: 'GET', url: '/api/lessons', headers }),
      // auth comes before the body is read: a bad or huge body still gets 401
      postCoordinatorText('{', headers),
      post('/api/coordinators', { phone: COORDINATOR, name: 'x'.repeat(100_000) }, headers),
    ];
    for (const response of await Promise.all(calls)) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Bearer');
      expect(response.json()).toEqual({ error: expect.any(String) });
    }
    expect(await keyCount()).toBe(0);
  });

  it('an admin API without a configured token refuses everyone', async () => {
    const closed = Fastify({ logger: false });
    const { course, translator } = realContent();
    await closed.register(adminGroupsApi, {
      quizzes: null,
      adminToken: undefined,
      coordinators,
      groups,
      course,
      translator,
    });
    const response = await closed.inject({
      method: 'GET',
      url: '/api/lessons',
      headers: { authorization: 'Bearer ' },
    });
    expect(response.statusCode).toBe(401);
    await closed.close();
  });

  it('the right token gets in', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/lessons', headers: AUTH })).statusCode).toBe(200);
  });
});

describe('admin API: input', () => {
  it('refuses an unknown field, naming it', async () => {
    const response = await post('/api/coordinators', { phone: COORDINATOR, name: 'Rosa', role: 'admin' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe("body has an unknown field 'role'");
    const typo = await post('/api/groups', { name: 'G', locale: 'es', cordinator: COORDINATOR });
    expect(typo.statusCode).toBe(400);
    expect(typo.json().error).toMatch(/cordinator|coordinator/);
    expect(await keyCount()).toBe(0);
  });

  it.each([
    '59171234567',
    '+0591712345',
    '+591',
    'whatsapp:+59171234567',
    '+5917123456789012',
    '+591 7123 4567',
  ])('refuses the phone %j', async (phone) => {
    const response = await post('/api/coordinators', { phone, name: 'Rosa' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('body/phone must be a phone number in E.164 form, like +59171234567');
  });

  it('refuses a number where a string belongs, rather than converting it', async () => {
    const response = await post('/api/coordinators', { phone: 59171234567, name: 'Rosa' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('body/phone must be string');
  });

  it('names a missing field, a blank name and a language it does not speak', async () => {
    expect((await post('/api/coordinators', { phone: COORDINATOR })).json().error).toBe(
      "body is missing the field 'name'",
    );
    expect((await post('/api/coordinators', { phone: COORDINATOR, name: '   ' })).json().error).toBe(
      'body/name must not be blank',
    );
    const response = await post('/api/groups', { name: 'G', locale: 'en', coordinator: COORDINATOR });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('body/locale must be one of: es, ay, qu');
  });

  it('answers bad JSON with a 400 that says what is wrong', async () => {
    const response = await postCoordinatorText('{"phone": "+59171234567", "name": }');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatch(/^the body is not valid JSON: Unexpected token '}'/);
    const empty = await postCoordinatorText('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toMatch(/empty/);
    const poisoned = await postCoordinatorText(
      '{"phone": "+59171234567", "name": "Rosa", "__proto__": {"admin": true}}',
    );
    expect(poisoned.statusCode).toBe(400);
    expect(await keyCount()).toBe(0);
  });

  it('refuses a body that is not a JSON object', async () => {
    const response = await postCoordinatorText('["+59171234567", "Rosa"]');
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('body must be object');
  });

  it('answers a 100 KB body with 413 and changes nothing', async () => {
    const response = await post('/api/coordinators', { phone: COORDINATOR, name: 'x'.repeat(100 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: expect.any(String) });
    expect(await keyCount()).toBe(0);
  });

  it('answers a malformed group id with 400 and an unknown one with 404', async () => {
    expect(
      (await app.inject({ method: 'GET', url: '/api/groups/NOT-AN-ID', headers: AUTH })).statusCode,
    ).toBe(400);
    const missing = await app.inject({ method: 'GET', url: '/api/groups/abcdefghij', headers: AUTH });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: 'no group has this id' });
  });
});

describe('admin API: coordinators and groups', () => {
  it('registers a coordinator (201), again to rename, and creates a group for them (201)', async () => {
    const registered = await post('/api/coordinators', { phone: COORDINATOR, name: 'Rosa' });
    expect(registered.statusCode).toBe(201);
    expect(registered.json()).toEqual({ phone: COORDINATOR, name: 'Rosa' });
    const renamed = await post('/api/coordinators', { phone: COORDINATOR, name: 'Rosa Mamani' });
    expect(renamed.statusCode).toBe(201);
    expect(renamed.json()).toEqual({ phone: COORDINATOR, name: 'Rosa Mamani' });
    expect(await coordinators.list()).toHaveLength(1);

    const created = await post('/api/groups', {
      name: 'Mineras de Potosí',
      locale: 'qu',
      coordinator: COORDINATOR,
    });
    expect(created.statusCode).toBe(201);
    const { id, code } = created.json() as { id: string; code: string };
    expect(Object.keys(created.json()).sort()).toEqual(['code', 'id']);
    expect((await groups.byCode(code))?.id).toBe(id);

    await groups.join(id, learnerId('+59170000001'));
    await groups.join(id, learnerId('+59170000002'));
    const shown = await app.inject({ method: 'GET', url: `/api/groups/${id}`, headers: AUTH });
    expect(shown.statusCode).toBe(200);
    expect(shown.json()).toEqual({
      id,
      name: 'Mineras de Potosí',
      locale: 'qu',
      code,
      coordinator: '+591*****567',
      members: 2,
    });
    expect(shown.body).not.toContain(COORDINATOR);
  });

  it('refuses a group for someone who is not a registered coordinator (422), creating nothing', async () => {
    const response = await post('/api/groups', { name: 'G', locale: 'es', coordinator: '+59179999999' });
    expect(response.statusCode).toBe(422);
    expect(response.json().error).toMatch(/not registered/);
    expect(await keyCount()).toBe(0);
  });
});

describe('admin API: lessons', () => {
  it('lists every lesson of the course with its Spanish title', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/lessons', headers: AUTH });
    expect(response.statusCode).toBe(200);
    const { course, translator } = realContent();
    const lessons = response.json() as Array<{ id: string; title: string }>;
    expect(lessons.map((l) => l.id)).toEqual(course.lessons.map((l) => l.id));
    expect(lessons.length).toBeGreaterThan(0);
    for (const [i, lesson] of lessons.entries()) {
      const flow = course.lessons[i]!;
      expect(lesson.title).toBe(translator.t('es', qualifyKey(flow.id, flow.title)));
      // a rendered title, not a key
      expect(lesson.title).not.toContain(':title');
      expect(lesson.title.length).toBeGreaterThan(3);
    }
  });
});

describe('admin API: errors it does not answer itself', () => {
  it('go on to the app’s error handler (which answers 503 when Redis is away)', async () => {
    const outer = Fastify({ logger: false });
    const seen: string[] = [];
    outer.setErrorHandler((error: Error, _request, reply) => {
      seen.push(error.message);
      return reply.code(503).send({ error: 'temporarily unavailable' });
    });
    const broken = {
      register: async () => {
        throw new Error('Connection is closed.');
      },
    } as unknown as CoordinatorStore;
    const { course, translator } = realContent();
    await outer.register(adminGroupsApi, {
      quizzes: null,
      adminToken: TOKEN,
      coordinators: broken,
      groups,
      course,
      translator,
    });
    const response = await outer.inject({
      method: 'POST',
      url: '/api/coordinators',
      headers: AUTH,
      payload: { phone: COORDINATOR, name: 'Rosa' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ error: 'temporarily unavailable' });
    expect(seen).toEqual(['Connection is closed.']);
    await outer.close();
  });
});
