// The broadcasts admin API at its edges: auth (no token, a wrong one, the right one),
// Idempotency-Key, bodies it refuses with a 400 that names the problem, 404s, the rate limit,
// and the OpenAPI docs at /docs.
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { sleep } from '../support/wait-for.js';
import { auth, broadcastApp, numberFor, saveLearner, useBroadcastApp } from './helpers.js';

const { url, prefix, redis } = useTestRedis();
const { app, fake, api } = await useBroadcastApp(url, prefix);

const LEARNER = numberFor(3, 1);
const BODY = { target: { locale: 'es' }, text: { es: 'Hola a todos' } };

beforeAll(async () => {
  await saveLearner(redis, prefix, { phone: LEARNER, channel: 'whatsapp' });
});

describe('auth', () => {
  const post = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/broadcasts', headers, payload: BODY });

  it('refuses a request without a token, or with a wrong one, and creates nothing', async () => {
    const attempts: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: 'admin-secret' },
    ];
    for (const headers of attempts) {
      const response = await post(headers);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'a valid admin token is required' });
      expect(response.headers['www-authenticate']).toBe('Bearer');
    }
    const get = await app.inject({ method: 'GET', url: '/api/broadcasts/abcdefabcdef' });
    expect(get.statusCode).toBe(401);
    const del = await app.inject({ method: 'DELETE', url: '/api/broadcasts/abcdefabcdef' });
    expect(del.statusCode).toBe(401);
    await sleep(300);
    expect(fake.messages).toHaveLength(0);
  });

  it('accepts the right one', async () => {
    const response = await post(auth);
    expect(response.statusCode).toBe(201);
    await api.settled(response.json<{ id: string }>().id);
    expect(fake.messages.map((m) => m.to)).toEqual([`whatsapp:${LEARNER}`]);
  });
});

describe('Idempotency-Key', () => {
  it('makes a retried request answer the same broadcast, sent once', async () => {
    fake.reset();
    const headers = { 'idempotency-key': 'retry-me-1' };
    const first = await api.post(BODY, headers);
    const again = await api.post(BODY, headers);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json<{ id: string }>().id).toBe(first.json<{ id: string }>().id);
    expect(again.json<{ replayed: boolean }>().replayed).toBe(true);
    expect(again.headers['idempotent-replayed']).toBe('true');
    await api.settled(first.json<{ id: string }>().id);
    await sleep(300);
    expect(fake.messages).toHaveLength(1);
  });

  it('answers concurrent retries with one broadcast', async () => {
    fake.reset();
    const headers = { 'idempotency-key': 'retry-me-2' };
    const replies = await Promise.all([1, 2, 3, 4].map(() => api.post(BODY, headers)));
    expect(new Set(replies.map((r) => r.json<{ id: string }>().id)).size).toBe(1);
    await api.settled(replies[0]!.json<{ id: string }>().id);
    await sleep(300);
    expect(fake.messages).toHaveLength(1);
  });

  it('refuses the same key with a different body', async () => {
    const headers = { 'idempotency-key': 'retry-me-1' };
    const response = await api.post({ ...BODY, text: { es: 'Otro texto' } }, headers);
    expect(response.statusCode).toBe(422);
    expect(response.json<{ error: string }>().error).toMatch(/Idempotency-Key.*different body/);
  });
});

describe('bodies it refuses, naming the problem', () => {
  const cases: [string, unknown, number, RegExp][] = [
    ['an unknown field', { ...BODY, txt: {} }, 400, /unknown field 'txt'/],
    [
      'a typo in the target',
      { ...BODY, target: { local: 'es' } },
      400,
      /body\/target has an unknown field 'local'/,
    ],
    [
      'two targets',
      { ...BODY, target: { all: true, locale: 'es' } },
      400,
      /body\/target must NOT have more than 1/,
    ],
    ['no target', { text: BODY.text }, 400, /missing the field 'target'/],
    ['no Spanish text', { ...BODY, text: { ay: 'kamisaki' } }, 400, /body\/text is missing the field 'es'/],
    ['a blank text', { ...BODY, text: { es: '   ' } }, 400, /body\/text\/es must not be blank/],
    ['a language it does not speak', { ...BODY, text: { es: 'a', en: 'b' } }, 400, /unknown field 'en'/],
    ['all: false', { ...BODY, target: { all: false } }, 400, /body\/target\/all/],
    ['a bad group id', { ...BODY, target: { groups: ['NOPE'] } }, 400, /body\/target\/groups\/0/],
    [
      'a group that does not exist',
      { ...BODY, target: { groups: ['zzzzzzzzzz'] } },
      422,
      /no group has the id zzzzzzzzzz/,
    ],
    [
      'a lesson that does not exist',
      { ...BODY, target: { notFinished: 'nope' } },
      422,
      /no lesson has the id nope/,
    ],
    ['a time without an offset', { ...BODY, sendAt: '2030-01-01T08:00:00' }, 400, /body\/sendAt must match/],
    [
      'a four-field cron',
      { ...BODY, repeat: { cron: '0 8 * *', until: '2099-01-01T00:00:00Z' } },
      400,
      /5 fields/,
    ],
    [
      'a cron that is not one',
      { ...BODY, repeat: { cron: '0 99 * * *', until: '2099-01-01T00:00:00Z' } },
      400,
      /not a valid cron/,
    ],
    [
      'until in the past',
      { ...BODY, repeat: { cron: '0 8 * * 1', until: '2020-01-01T00:00:00Z' } },
      422,
      /until is in the past/,
    ],
    ['a bad template sid', { ...BODY, template: { contentSid: 'SM123' } }, 400, /body\/template\/contentSid/],
    [
      'a text of 1,601 characters',
      { ...BODY, text: { es: 'a'.repeat(1601) } },
      400,
      /body\/text\/es must NOT have more than 1600/,
    ],
  ];
  for (const [what, body, status, message] of cases) {
    it(what, async () => {
      const response = await api.post(body);
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json<{ error: string }>().error).toMatch(message);
    });
  }

  it('bad JSON, naming where it stopped', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/broadcasts',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"target": {"all": true}, "text": {"es": "hola"}',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string }>().error).toMatch(/not valid JSON/);
  });

  it('a 100 KB body, before reading it all', async () => {
    const response = await api.post({ ...BODY, text: { es: 'a'.repeat(100 * 1024) } });
    expect(response.statusCode).toBe(413);
  });

  it('an unknown broadcast: 404 for GET and DELETE', async () => {
    for (const method of ['GET', 'DELETE'] as const) {
      const response = await app.inject({ method, url: '/api/broadcasts/abcdefabcdef', headers: auth });
      expect(response.statusCode).toBe(404);
    }
    const bad = await app.inject({ method: 'GET', url: '/api/broadcasts/NOT-AN-ID', headers: auth });
    expect(bad.statusCode).toBe(400);
  });
});

describe('rate limit and docs', () => {
  it('limits /api requests per client, and leaves the rest alone', async () => {
    const limited = await broadcastApp(url, `${prefix}rl:`, fake.url, { ADMIN_RATE_LIMIT_PER_MINUTE: '3' });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        statuses.push(
          (await limited.inject({ method: 'GET', url: '/api/lessons', headers: auth })).statusCode,
        );
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      // Unauthenticated floods count too.
      expect((await limited.inject({ method: 'GET', url: '/api/broadcasts/abcdefabcdef' })).statusCode).toBe(
        429,
      );
      expect((await limited.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('serves the OpenAPI document and its UI at /docs (API_DOCS, to the administrator)', async () => {
    const docs = await broadcastApp(url, `${prefix}docs:`, fake.url, { API_DOCS: 'true' });
    onTestFinished(() => docs.close());
    const spec = await docs.inject({ method: 'GET', url: '/docs/json', headers: auth });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json<{ openapi: string; paths: Record<string, Record<string, unknown>> }>();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/broadcasts',
        '/api/broadcasts/{id}',
        '/api/groups/{id}/progress',
        '/api/groups/{id}/progress.csv',
      ]),
    );
    expect(Object.keys(doc.paths['/api/broadcasts/{id}']!)).toEqual(
      expect.arrayContaining(['get', 'delete']),
    );
    const ui = await docs.inject({ method: 'GET', url: '/docs', headers: auth });
    expect([200, 302]).toContain(ui.statusCode);
  });
});
