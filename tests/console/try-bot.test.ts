// "Try the bot" for several console users at once: each user's test numbers are their own, so
// one user's "start again" (which erases the test number's data) never touches another's learner.
// A test chat is a rehearsal: it schedules no nudge (the worker would text a number nobody has),
// counts in no funnel, and its CORREGIR reaches no reviewer; "start again" takes what was left.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realContent } from '../support/content.js';
import { learnerId } from '../support/person-ids.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { say } from '../http/helpers.js';
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

describe('a test chat is a rehearsal', () => {
  const firstLesson = realContent().course.sections[0]!.flows[0]!;
  const thanks = say('es', 'sms', 'common:suggest_thanks');
  const nudgeDue = (id: string) => app.redis.zscore(app.keyspace.nudgesDueOf(id), id);
  const suggested = async () => [...(await app.stores.suggestions.forLanguage('es')).values()].flat();

  it('schedules no nudge, counts in no funnel and keeps no suggestion, in the middle of a lesson', async () => {
    const user = users.ana;
    expect((await startAgain(user, '55')).statusCode).toBe(303);
    const id = learnerId(await testNumberOf(user));
    await user.post('/console/try/send', { text: '1' });
    await user.post('/console/try/send', { text: '1' });
    // In the lesson, with a text to suggest for: what a learner's turn would nudge, count and keep.
    expect((await app.sessions.load(id))?.lastText?.key).toMatch(new RegExp(`^${firstLesson.id}:`));
    await user.post('/console/try/send', { text: 'CORREGIR Yo lo diría así' });
    // The tester sees the answer a learner would get.
    expect((await user.get('/console/try')).body).toContain(thanks);

    expect(await nudgeDue(id)).toBeNull();
    expect(await app.stores.funnel.read(firstLesson.id, app.clock(), 1)).toEqual([]);
    expect(await suggested()).toEqual([]);
  });

  it('starting again takes the nudge and the suggestions an older version left', async () => {
    const user = users.ana;
    const id = learnerId(await testNumberOf(user));
    // As a version before rehearsals left them.
    await app.stores.nudgeSchedule.set(id, app.clock() + 60_000);
    const day = '2026-03-02';
    await app.stores.suggestions.record(id, { lang: 'es', textKey: 'common:menu', text: 'Menú viejo', day });
    expect(await suggested()).toEqual([{ text: 'Menú viejo', count: 1 }]);

    expect((await startAgain(user, '55')).statusCode).toBe(303);
    expect(await nudgeDue(id)).toBeNull();
    expect(await suggested()).toEqual([]);
  });
});
