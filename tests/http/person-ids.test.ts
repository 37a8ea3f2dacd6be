// Every id that stands for a person is a keyed hash under ID_SECRET: without the secret, trying
// every number of the numbering plan does not find the number behind an id. Production refuses to
// start without a secret of at least 32 characters.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET, loadConfig } from '../../src/config.js';
import { KeyedPersonIds } from '../../src/privacy/person-ids.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { useTestRedis } from '../support/test-redis.js';
import { bolivianNumber, injectTransport, Learner, testApp, testEnv } from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const OTHER_SECRET = 'another-deployment-secret-of-40-characters';
const unkeyed = (phone: string) => createHash('sha256').update(phone).digest('base64url').slice(0, 22);

describe('ID_SECRET', () => {
  // testEnv without its ID_SECRET, and local mode: no Twilio token either.
  const { ID_SECRET: _testSecret, ...env } = testEnv(url, prefix);
  const { TWILIO_AUTH_TOKEN: _token, ...local } = env;

  it('is required in production, with a clear error', () => {
    expect(() => loadConfig({ ...env, NODE_ENV: 'production' })).toThrow(
      /ID_SECRET: ID_SECRET is required in production/,
    );
    expect(() => loadConfig({ ...env, NODE_ENV: 'production', ID_SECRET: '' })).toThrow(
      /ID_SECRET is required in production/,
    );
  });

  it('must be at least 32 characters, in production and elsewhere', () => {
    for (const NODE_ENV of ['production', 'development']) {
      expect(() => loadConfig({ ...env, NODE_ENV, ID_SECRET: 'x'.repeat(31) })).toThrow(
        /ID_SECRET must be at least 32 characters/,
      );
      expect(loadConfig({ ...env, NODE_ENV, ID_SECRET: 'x'.repeat(32) }).ID_SECRET).toBe('x'.repeat(32));
    }
  });

  it('has a fixed development default only in local mode: outside production, without Twilio', () => {
    expect(loadConfig({ ...local, NODE_ENV: 'development' }).ID_SECRET).toBe(DEVELOPMENT_ID_SECRET);
    expect(loadConfig(local).ID_SECRET).toBe(DEVELOPMENT_ID_SECRET);
  });

  it('is required with a Twilio token whatever NODE_ENV is, since the development one is public', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      for (const ID_SECRET of [undefined, '']) {
        expect(() => loadConfig({ ...env, NODE_ENV, ID_SECRET })).toThrow(
          /ID_SECRET: missing; required once TWILIO_AUTH_TOKEN is set/,
        );
      }
    }
    expect(loadConfig({ ...env, ID_SECRET: OTHER_SECRET }).ID_SECRET).toBe(OTHER_SECRET);
  });

  it('stops the server at start when missing in production, saying why', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { PATH: process.env.PATH ?? '', ...env, NODE_ENV: 'production', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A server that does start is stopped, so that the test fails rather than wait forever.
    const started = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(started);
    expect(code).not.toBe(0);
    expect(stderr).toContain('ID_SECRET is required in production');
  });
});

describe('the ids of people', () => {
  let other: FastifyInstance;
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(url, prefix, { env: { ADMIN_TOKEN: 'admin-token-for-the-person-ids-test' } });
    other = await testApp(url, `${prefix}other:`, { env: { ID_SECRET: OTHER_SECRET } });
  });
  afterAll(async () => {
    await app?.close();
    await other?.close();
  });

  it('are 22 characters of a keyed hash, and another secret gives another id', () => {
    const phone = '+59171234567';
    const ids = new KeyedPersonIds(DEVELOPMENT_ID_SECRET);
    expect(ids.learnerId(phone)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(ids.learnerId(phone)).not.toBe(unkeyed(phone));
    expect(new KeyedPersonIds(OTHER_SECRET).learnerId(phone)).not.toBe(ids.learnerId(phone));
    expect(() => new KeyedPersonIds('short')).toThrow(/at least 32/);
  });

  it("name a learner's keys: the number's unkeyed hash appears nowhere", async () => {
    const phone = bolivianNumber();
    await new Learner(phone, injectTransport(app)).sendAll('Hola', '1');
    await new Learner(phone, injectTransport(other)).sendAll('Hola', '1');
    const keyed = new KeyedPersonIds(DEVELOPMENT_ID_SECRET).learnerId(phone);
    const keyedOther = new KeyedPersonIds(OTHER_SECRET).learnerId(phone);
    expect(await redis.exists(new Keyspace(prefix).session(keyed))).toBe(1);
    expect(await redis.exists(new Keyspace(`${prefix}other:`).session(keyedOther))).toBe(1);
    expect(await redis.keys(`${prefix}*${unkeyed(phone)}*`)).toEqual([]);
    expect(await redis.sismember(new Keyspace(prefix).learnerIndex(unkeyed(phone)), unkeyed(phone))).toBe(0);
  });

  it("name a coordinator's list of groups", async () => {
    const coordinator = bolivianNumber();
    const auth = { authorization: 'Bearer admin-token-for-the-person-ids-test' };
    const registered = await app.inject({
      method: 'POST',
      url: '/api/coordinators',
      headers: auth,
      payload: { phone: coordinator, name: 'Rosa' },
    });
    expect(registered.statusCode).toBeLessThan(300);
    await new Learner(coordinator, injectTransport(app)).sendAll('Hola', '1', 'GRUPO Tejedoras');
    const keyed = new KeyedPersonIds(DEVELOPMENT_ID_SECRET).learnerId(coordinator);
    expect(await redis.scard(new Keyspace(prefix).coordinatorGroups(keyed))).toBe(1);
    expect(await redis.exists(new Keyspace(prefix).coordinatorGroups(unkeyed(coordinator)))).toBe(0);
  });
});
