// A one-time login link is a local-mode convenience: a deployment (Twilio configured) never
// signs anyone in with one, even a link that a local process wrote into the same Redis.
import { afterAll, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/routes/console/session-cookie.js';
import { useTestRedis } from '../support/test-redis.js';
import { consoleApp } from './helpers.js';

const { url, prefix } = useTestRedis();
const app = await consoleApp(url, prefix, null);
afterAll(() => app.close());

it('ignores ?once= when Twilio is configured: no session, the link stays unused', async () => {
  const token = await app.stores.loginLinks.create();
  const page = await app.inject({ method: 'GET', url: `/console/login?once=${token}` });
  const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  expect(page.statusCode).toBe(200);
  expect(cookies.some((c) => c.startsWith(`${SESSION_COOKIE}=`))).toBe(false);
  const groups = await app.inject({ method: 'GET', url: '/console/groups' });
  expect(groups.statusCode).toBe(303);
});
