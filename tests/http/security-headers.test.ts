// Security headers on every route (Twilio's webhook, the admin API, health, the console, errors),
// HSTS and Secure cookies when PUBLIC_URL is https (whatever the proxy says or does not say), and
// /docs: absent unless API_DOCS is on, and then only for the administrator.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { inboundParams, randomSid, signedTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';
import { bolivianNumber, testApp, WEBHOOK_PATH, WEBHOOK_URL } from './helpers.js';

const { url, prefix } = useTestRedis();
const ADMIN_TOKEN = 'security-headers-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
let app: FastifyInstance;
let apps = 0;

beforeAll(async () => {
  app = await testApp(url, prefix, { env: { ADMIN_TOKEN } }); // PUBLIC_URL https://ayni.test
});
afterAll(() => app.close());

async function appWith(env: Record<string, string>): Promise<FastifyInstance> {
  const other = await testApp(url, `${prefix}${++apps}:`, { env: { ADMIN_TOKEN, ...env } });
  onTestFinished(() => other.close());
  return other;
}

function expectSecurityHeaders(response: LightMyRequestResponse) {
  const headers = response.headers;
  expect(headers['content-security-policy'], 'CSP').toMatch(/frame-ancestors 'none'/);
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['referrer-policy']).toMatch(/^(no-referrer|same-origin)$/);
}

const signedMessage = () =>
  signedTwilioRequest(
    TEST_TWILIO.authToken,
    WEBHOOK_URL,
    inboundParams({ from: bolivianNumber(), body: 'hola', messageSid: randomSid() }),
  );

describe('security headers', () => {
  const requests: Array<[string, () => Promise<LightMyRequestResponse>, number]> = [
    [
      'a signed Twilio message',
      () => app.inject({ method: 'POST', url: WEBHOOK_PATH, ...signedMessage() }),
      200,
    ],
    [
      'an unsigned Twilio message',
      () =>
        app.inject({
          method: 'POST',
          url: WEBHOOK_PATH,
          payload: 'Body=x',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      403,
    ],
    ['the admin API', () => app.inject({ method: 'GET', url: '/api/lessons', headers: auth }), 200],
    ['the admin API without a token', () => app.inject({ method: 'GET', url: '/api/lessons' }), 401],
    ['GET /healthz', () => app.inject({ method: 'GET', url: '/healthz' }), 200],
    ['GET /readyz', () => app.inject({ method: 'GET', url: '/readyz' }), 200],
    ['the console login page', () => app.inject({ method: 'GET', url: '/console/login' }), 200],
    ['a path that is nothing', () => app.inject({ method: 'GET', url: '/nothing-here' }), 404],
  ];
  for (const [what, send, status] of requests) {
    it(`are on ${what} (${status})`, async () => {
      const response = await send();
      expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
      expectSecurityHeaders(response);
      expect(response.headers['strict-transport-security']).toBe('max-age=31536000');
    });
  }

  it('keep the console pages’ own policy (their style sheet and script)', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/login' });
    expect(response.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('leave HSTS out when PUBLIC_URL is plain http', async () => {
    const plain = await appWith({ PUBLIC_URL: 'http://localhost:3000' });
    const response = await plain.inject({ method: 'GET', url: '/healthz' });
    expectSecurityHeaders(response);
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });
});

describe('the console cookies', () => {
  const cookiesOf = (response: LightMyRequestResponse) => [response.headers['set-cookie'] ?? []].flat();

  it('are Secure when PUBLIC_URL is https, though the request came over plain HTTP with no proxy header', async () => {
    const response = await app.inject({ method: 'GET', url: '/console/login' });
    const cookies = cookiesOf(response);
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).toMatch(/;\s*Secure/i);
  });

  it('are not Secure when PUBLIC_URL is plain http (a local trial)', async () => {
    const plain = await appWith({ PUBLIC_URL: 'http://localhost:3000' });
    const cookies = cookiesOf(await plain.inject({ method: 'GET', url: '/console/login' }));
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) expect(cookie).not.toMatch(/;\s*Secure/i);
  });
});

describe('/docs', () => {
  it('is not there by default', async () => {
    for (const path of ['/docs', '/docs/json', '/docs/static/index.html']) {
      const response = await app.inject({ method: 'GET', url: path, headers: auth });
      expect(response.statusCode, path).toBe(404);
    }
  });

  it('with API_DOCS, needs the admin token, as a bearer token or as the password a browser asks for', async () => {
    const docs = await appWith({ API_DOCS: 'true' });
    const get = (path: string, headers: Record<string, string> = {}) =>
      docs.inject({ method: 'GET', url: path, headers });
    const basic = (password: string) => ({
      authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}`,
    });

    const refusals: Record<string, string>[] = [{}, { authorization: 'Bearer wrong' }, basic('wrong')];
    for (const headers of refusals) {
      const refused = await get('/docs/json', headers);
      expect(refused.statusCode).toBe(401);
      expect(refused.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expectSecurityHeaders(refused);
    }
    expect((await get('/docs', {})).statusCode).toBe(401);
    expect((await get('/docs/static/swagger-ui.css', {})).statusCode).toBe(401);

    const spec = await get('/docs/json', auth);
    expect(spec.statusCode).toBe(200);
    expect(Object.keys(spec.json<{ paths: object }>().paths)).toContain('/api/lessons');
    expect((await get('/docs/json', basic(ADMIN_TOKEN))).statusCode).toBe(200);
    const ui = await get('/docs/', basic(ADMIN_TOKEN));
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(ui.headers['x-content-type-options']).toBe('nosniff');
  });

  it('with API_DOCS but no ADMIN_TOKEN, is closed to everyone', async () => {
    const docs = await testApp(url, `${prefix}${++apps}:`, { env: { API_DOCS: 'true' } });
    onTestFinished(() => docs.close());
    expect((await docs.inject({ method: 'GET', url: '/docs/json', headers: auth })).statusCode).toBe(401);
  });
});
