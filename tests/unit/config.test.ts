// The settings of the HTTP surface: an ADMIN_TOKEN too short to be safe stops the start with a
// clear message (and .env.example does not ship one), and the defaults are the safe ones.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET, loadConfig } from '../../src/config.js';
import { serverOptions } from '../../src/plugins/server-options.js';
import { startAppProcess } from '../support/app-server.js';

const BASE = { TWILIO_AUTH_TOKEN: 'test-auth-token', ID_SECRET: DEVELOPMENT_ID_SECRET };
const SHORT = /ADMIN_TOKEN must be at least 32 characters; make one with `openssl rand -hex 32`/;

describe('ADMIN_TOKEN', () => {
  it.each(['change-me', 'x'.repeat(31), ''])('refuses %j with a clear message', (token) => {
    expect(() => loadConfig({ ...BASE, ADMIN_TOKEN: token })).toThrow(SHORT);
  });

  it('takes 32 characters or more, or none (the admin API is then closed)', () => {
    expect(loadConfig({ ...BASE, ADMIN_TOKEN: 'x'.repeat(32) }).ADMIN_TOKEN).toBe('x'.repeat(32));
    expect(loadConfig(BASE).ADMIN_TOKEN).toBeUndefined();
  });

  it('the server refuses to start with a short one, and says why', async () => {
    const started = startAppProcess({
      env: { ...BASE, ADMIN_TOKEN: 'change-me', REDIS_URL: 'redis://127.0.0.1:1' },
      waitForRedis: false,
    });
    await expect(started).rejects.toThrow(SHORT);
  }, 30_000);

  it('.env.example loads as it ships, says how to make one, and ships no short token', () => {
    const text = fs.readFileSync('.env.example', 'utf8');
    const env = Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
    expect(text).toContain('openssl rand -hex 32');
  });
});

describe('the defaults of the HTTP surface', () => {
  const config = loadConfig(BASE);

  it('believe no X-Forwarded-For, serve no /docs, repeat broadcasts at most hourly', () => {
    expect(config.TRUST_PROXY).toBe(false);
    expect(config.API_DOCS).toBe(false);
    expect(config.BROADCAST_ALLOW_FAST_REPEAT).toBe(false);
  });

  it('give a request 30 s, an idle keep-alive connection 72 s', () => {
    const options = serverOptions(config);
    expect(options).toMatchObject({
      trustProxy: false,
      requestTimeout: 30_000,
      connectionTimeout: 30_000,
      keepAliveTimeout: 72_000,
      http: { headersTimeout: 30_000, connectionsCheckingInterval: 7_500 },
    });
  });

  it('write a hop count as a function that trusts that many hops', () => {
    const trust = serverOptions(loadConfig({ ...BASE, TRUST_PROXY: '1' })).trustProxy;
    expect(typeof trust).toBe('function');
    if (typeof trust !== 'function') return;
    expect([trust('10.0.0.1', 0), trust('10.0.0.2', 1)]).toEqual([true, false]);
  });
});
