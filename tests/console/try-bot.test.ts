// "Try the bot" for several console users at once: each user's test numbers are their own, so
// one user's "start again" (which erases the test number's data) never touches another's learner.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerId } from '../support/person-ids.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { consoleApp, ConsoleClient } from './helpers.js';

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;
const users: Record<'ana' | 'beto' | 'admin', ConsoleClient> = {} as never;

beforeAll(async () => {
  fake = await startFakeTwilio();
  app = await consoleApp(url, prefix, fake);
  const coordinators = { ana: '+59171150001', beto: '+59171150002' };
  for (const [i, [name, phone]] of Object.entries(coordinators).entries()) {
    await app.coordinators.register(phone, name);
    const client = new ConsoleClient(app);
    client.ip = `10.40.0.${i + 1}`;
    await client.loginWithCode(fake, phone);
    users[name as 'ana' | 'beto'] = client;
  }
  users.admin = new ConsoleClient(app);
  users.admin.ip = '10.40.1.1';
  await users.admin.loginAsAdmin();
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

/** The test number the simulator shows its user. */
async function testNumberOf(user: ConsoleClient): Promise<string> {
  const page = await user.get('/console/try');
  const number = /<strong>(\+\d+)<\/strong> por/.exec(page.body)?.[1];
  if (!number) throw new Error(`no test number in the page:\n${page.body.slice(0, 2000)}`);
  return number;
}

const startAgain = (user: ConsoleClient, suffix: string) =>
  user.post('/console/try/reset', { suffix, channel: 'sms', lang: 'es' });

describe('try the bot, for several console users', () => {
  it('gives each user their own numbers: one user’s reset never erases another’s test learner', async () => {
    // Beto starts a chat as suffix 1234 and gets into the first lesson.
    expect((await startAgain(users.beto, '1234')).statusCode).toBe(303);
    await users.beto.post('/console/try/send', { text: '1' });
    const betos = await testNumberOf(users.beto);
    const progress = await app.sessions.load(learnerId(betos));
    expect(progress).not.toBeNull();

    // Ana and the administrator pick the same suffix, start again and talk.
    for (const other of [users.ana, users.admin]) {
      expect((await startAgain(other, '1234')).statusCode).toBe(303);
      await other.post('/console/try/send', { text: '1' });
    }
    expect(await app.sessions.load(learnerId(betos))).toEqual(progress);
    expect(await testNumberOf(users.ana)).not.toBe(betos);
    expect(await testNumberOf(users.admin)).not.toBe(betos);

    // And with no suffix chosen: still three different people.
    const numbers = await Promise.all(
      Object.values(users).map(async (user) => {
        await startAgain(user, '');
        return testNumberOf(user);
      }),
    );
    expect(new Set(numbers).size).toBe(3);
  });

  it('shows each user the number they talk as, a valid E.164 number that is nobody’s', async () => {
    for (const user of Object.values(users)) {
      const number = await testNumberOf(user);
      expect(number).toMatch(/^\+5910\d{8,11}$/); // Bolivian numbers never start with 0
    }
  });
});
