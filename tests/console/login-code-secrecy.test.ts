// A console login code is never kept in clear: after a coordinator asks for one, tries a wrong
// one and signs in with it, the code appears in none of the console's Redis keys and in no log
// line, even at the most talkative log level. (The outbound queue's jobs, under the BullMQ
// prefix, are the sender's; what they keep is tested with the sender.)
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { codeSentTo, consoleEnv, ConsoleClient, hiddenValue } from './helpers.js';
import { testApp } from '../http/helpers.js';

const { redis, url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;
const logged: string[] = [];

const ANA = '+59171160001';

beforeAll(async () => {
  fake = await startFakeTwilio();
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  });
  app = await testApp(url, prefix, { logStream, env: consoleEnv(fake, { LOG_LEVEL: 'trace' }) });
  await app.coordinators.register(ANA, 'Ana');
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

/** Every value stored under `prefix`, outside the keys that start with `except`, as text. */
async function storedValues(db: Redis, except: string): Promise<string[]> {
  const values: string[] = [];
  for await (const keys of db.scanStream({ match: `${prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
    for (const key of keys.filter((k) => !k.startsWith(except))) {
      const type = await db.type(key);
      if (type === 'string') values.push((await db.get(key)) ?? '');
      else if (type === 'hash') values.push(JSON.stringify(await db.hgetall(key)));
      else if (type === 'list') values.push(...(await db.lrange(key, 0, -1)));
      else if (type === 'set') values.push(...(await db.smembers(key)));
      else if (type === 'zset') values.push(...(await db.zrange(key, 0, -1)));
      else values.push(`${key}: a ${type} this test cannot read`);
    }
  }
  return values;
}

describe('a login code in clear', () => {
  it('is kept in none of the console’s Redis keys and written to no log', async () => {
    const client = new ConsoleClient(app);
    const pre = hiddenValue((await client.get('/console/login')).body, '_pre');
    const ask = async () => {
      const before = fake.messages.length;
      await client.post('/console/login/code', { _pre: pre, phone: ANA });
      return codeSentTo(fake, ANA, before);
    };
    const tried = await ask();
    const wrong = tried === '000000' ? '111111' : '000000';
    const answer = await client.post('/console/login/verify', { _pre: pre, phone: ANA, code: wrong });
    expect(answer.statusCode).toBe(401);
    const unused = await ask(); // the one most worth stealing

    // The code as a number of its own: not inside a longer one (a time, a decimal).
    const inClear = (code: string) => new RegExp(`(^|[^\\d.])${code}(\\D|$)`);
    const stored = await storedValues(redis, new Keyspace(prefix).bullPrefix());
    expect(stored.length).toBeGreaterThan(0);
    for (const code of [tried, unused]) {
      expect(stored.filter((value) => inClear(code).test(value))).toEqual([]);
      expect(logged.filter((line) => inClear(code).test(line))).toEqual([]);
    }
    expect(logged.join('')).toContain('console: login code sent');
  });
});
