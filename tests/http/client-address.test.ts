// Who the client is: the socket's address unless TRUST_PROXY says which proxies to believe. A new
// X-Forwarded-For per request must not reset any per-address limit (the admin API's, the
// console's logins), and with TRUST_PROXY set, a forwarded "address" that is not one is refused
// before it can name a Redis key.
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConsoleClient, hiddenValue } from '../console/helpers.js';
import { useTestRedis } from '../support/test-redis.js';
import { testApp, testEnv } from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const ADMIN_TOKEN = 'client-address-admin-token-0123456789';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

let apps = 0;
async function appWith(env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await testApp(url, `${prefix}${++apps}:`, { env: { ADMIN_TOKEN, ...env } });
  onTestFinished(() => app.close());
  return app;
}

/** 10.x.y.1, a different address for each i. */
const addressFor = (i: number) => `10.${(i >> 8) & 255}.${i & 255}.1`;

const lessons = (app: FastifyInstance, headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  app.inject({ method: 'GET', url: '/api/lessons', headers: { ...auth, ...headers }, remoteAddress });

describe('by default (TRUST_PROXY unset), X-Forwarded-For is not believed', () => {
  it('301 admin API requests, each with a new X-Forwarded-For, still reach the limit of 300', async () => {
    const app = await appWith();
    const statuses: number[] = [];
    for (let i = 0; i < 301; i++) {
      statuses.push((await lessons(app, { 'x-forwarded-for': addressFor(i) })).statusCode);
    }
    expect(statuses.slice(0, 300).every((s) => s === 200)).toBe(true);
    expect(statuses[300]).toBe(429);
  });

  it('the console counts admin-token tries per socket address, whatever X-Forwarded-For says', async () => {
    const app = await appWith();
    const client = new ConsoleClient(app);
    const pre = hiddenValue((await client.get('/console/login')).body, '_pre');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await client.post(
        '/console/login/admin',
        { _pre: pre, token: 'not-the-token' },
        { headers: { 'x-forwarded-for': addressFor(i) } },
      );
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});

describe('TRUST_PROXY', () => {
  it('with a hop count of 1, the client is the address the proxy forwarded', async () => {
    const app = await appWith({ TRUST_PROXY: '1', ADMIN_RATE_LIMIT_PER_MINUTE: '3' });
    const from = (address: string) => lessons(app, { 'x-forwarded-for': address });
    const first = [];
    for (let i = 0; i < 4; i++) first.push((await from('192.0.2.10')).statusCode);
    expect(first).toEqual([200, 200, 200, 429]);
    // Another client behind the same proxy has a count of its own.
    expect((await from('192.0.2.11')).statusCode).toBe(200);
    // Only the last hop is believed: what the client itself wrote before it is not.
    expect((await from('192.0.2.12, 192.0.2.10')).statusCode).toBe(429);
  });

  it('with addresses, only those proxies are believed', async () => {
    const app = await appWith({ TRUST_PROXY: '10.1.0.0/16', ADMIN_RATE_LIMIT_PER_MINUTE: '2' });
    const proxied = (client: string) => lessons(app, { 'x-forwarded-for': client }, '10.1.2.3');
    expect([(await proxied('192.0.2.20')).statusCode, (await proxied('192.0.2.20')).statusCode]).toEqual([
      200, 200,
    ]);
    expect((await proxied('192.0.2.20')).statusCode).toBe(429);
    expect((await proxied('192.0.2.21')).statusCode).toBe(200);
    // A client that is not one of the proxies is itself, whatever it forwards.
    const direct = (forged: string) => lessons(app, { 'x-forwarded-for': forged }, '198.51.100.7');
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await direct(addressFor(i))).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('refuses a forwarded client address that is not an address, and writes no key with it', async () => {
    const app = await appWith({ TRUST_PROXY: '2' });
    const response = await lessons(app, { 'x-forwarded-for': 'any string:at all, 10.0.0.1' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'X-Forwarded-For does not give a client address' });
    expect(await redis.keys(`*any string*`)).toEqual([]);
  });

  it.each([
    ['', false],
    ['false', false],
    ['1', 1],
    ['2', 2],
    ['10.0.0.1', ['10.0.0.1']],
    [' 10.0.0.0/8 , 2001:db8::/32,loopback ', ['10.0.0.0/8', '2001:db8::/32', 'loopback']],
  ])('reads TRUST_PROXY=%j', (value, expected) => {
    expect(loadConfig(testEnv(url, prefix, { TRUST_PROXY: value })).TRUST_PROXY).toEqual(expected);
  });

  it.each([
    ['true', /would believe any X-Forwarded-For/],
    ['10.0.0.300', /not a proxy address: 10\.0\.0\.300/],
    ['10.0.0.0/33', /not a proxy address: 10\.0\.0\.0\/33/],
    ['proxy.example.org', /not a proxy address: proxy\.example\.org/],
  ])('refuses TRUST_PROXY=%j with a clear message', (value, message) => {
    expect(() => loadConfig(testEnv(url, prefix, { TRUST_PROXY: value }))).toThrow(message);
  });
});
