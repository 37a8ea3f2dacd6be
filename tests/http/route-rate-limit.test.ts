// The admin API's rate limit belongs to the routes, not to how a URL is spelled: the router
// decodes `/%61pi/lessons` to /api/lessons, so the limit must count it with /api/lessons.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAdminRoute } from '../../src/plugins/admin-rate-limit.js';
import { useTestRedis } from '../support/test-redis.js';
import { testApp } from './helpers.js';

const { url, prefix } = useTestRedis();
const ADMIN_TOKEN = 'route-rate-limit-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
let app: FastifyInstance;
let clients = 0;

beforeAll(async () => {
  app = await testApp(url, prefix, { env: { ADMIN_TOKEN, ADMIN_RATE_LIMIT_PER_MINUTE: '3' } });
});
afterAll(() => app.close());

/** Each test is its own client (the limit counts per address). */
const nextClient = () => `10.20.${++clients}.1`;
const get = (path: string, remoteAddress: string, headers: Record<string, string> = auth) =>
  app.inject({ method: 'GET', url: path, headers, remoteAddress });

describe('the admin API rate limit, whatever the spelling of the path', () => {
  it.each(['/%61pi/lessons', '/api/%6cessons', '/%61%70%69/%6C%65%73%73%6F%6E%73', '/api/lessons?x=1'])(
    '%s reaches /api/lessons and is limited with it',
    async (spelling) => {
      const client = nextClient();
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(spelling, client)).statusCode);
      expect(statuses).toEqual([200, 200, 200, 429]);
    },
  );

  it.each(['/%2Fapi/lessons', '/%2561pi/lessons', '/API/lessons', '/api//lessons', '/api/lessons/'])(
    '%s reaches no route (404), so there is nothing to limit',
    async (spelling) => {
      expect((await get(spelling, nextClient())).statusCode).toBe(404);
    },
  );

  it('counts encoded and plain spellings together', async () => {
    const client = nextClient();
    const statuses = [];
    for (const path of ['/api/lessons', '/%61pi/lessons', '/api/%6cessons', '/%61pi/lessons']) {
      statuses.push((await get(path, client)).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('counts a route with a parameter, encoded, and requests without a token', async () => {
    const client = nextClient();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get('/%61pi/groups/abcdefghij', client, {})).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('leaves routes outside the admin API alone', async () => {
    const client = nextClient();
    for (let i = 0; i < 5; i++) expect((await get('/healthz', client, {})).statusCode).toBe(200);
  });

  it('knows the admin routes by their pattern', () => {
    expect(isAdminRoute('/api/groups/:id')).toBe(true);
    expect(isAdminRoute('/healthz')).toBe(false);
    expect(isAdminRoute('/console/api/broadcasts')).toBe(false);
    expect(isAdminRoute(undefined)).toBe(false);
  });
});
