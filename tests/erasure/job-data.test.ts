// Send jobs keep the number and the text no longer than the send needs them: a job that went and
// a job that failed for good hold neither afterwards. A console login code is never in Redis in
// clear: not while its job waits in the queue, not after it went.
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { OutboundSender } from '../../src/messaging/outbound.js';
import { useFakeTwilio } from '../support/fake-twilio.js';
import { learnerId } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { adminApi, broadcastApp } from '../broadcasts/helpers.js';
import { codeSentTo, ConsoleClient, hiddenValue } from '../console/helpers.js';
import { finalOutcome, phoneN, saveLearner, testSender } from '../messaging/helpers.js';
import { dumpPrefix, findTraces, tracesOf, type Trace } from './redis-dump.js';

const t = useTestRedis();
const fake = await useFakeTwilio();

const textTrace = (text: string): Trace => ({ what: 'the text', pattern: new RegExp(text) });

describe('a send job, once it is over', () => {
  let sender: OutboundSender;
  afterEach(() => sender.close());

  it('holds neither the number nor the text, whether the message went or failed for good', async () => {
    sender = testSender(t, fake.url); // 5 attempts, fast retries
    const [went, failed] = [phoneN(9001), phoneN(9002)];
    for (const phone of [went, failed]) await saveLearner(t, { phone });
    const traces = [
      ...tracesOf(went, learnerId),
      ...tracesOf(failed, learnerId),
      textTrace('Taller del lunes'),
      textTrace('Reunión en la sede'),
    ];
    const jobs = () => dumpPrefix(t.redis, `${t.prefix}bull:`);

    await sender.send({ dedupeKey: 'broadcast:went', to: went, body: 'Taller del lunes a las 9' });
    // Waiting, a job holds what it sends: the search sees job data.
    expect(findTraces(await jobs(), traces).length).toBeGreaterThan(0);
    sender.start();
    expect(await finalOutcome(sender, 'broadcast:went', went)).toBe('sent');

    // Twilio answers 500 to everything: every attempt fails, then the sender gives up.
    fake.failNext(100, 500);
    await sender.send({ dedupeKey: 'broadcast:failed', to: failed, body: 'Reunión en la sede' });
    expect(await finalOutcome(sender, 'broadcast:failed', failed)).toMatch(/^failed:gave_up_/);
    await waitFor('both jobs to be over', async () => {
      const counts = await sender.queue('sms').getJobCounts('completed', 'failed');
      return counts.completed === 1 && counts.failed === 1;
    });
    fake.reset();
    expect(findTraces(await jobs(), traces)).toEqual([]);
  });
});

describe('a console login code', () => {
  const COORDINATOR = '+59161230099';
  let app: FastifyInstance;
  afterAll(() => app.close());

  it('is never in Redis in clear: not while its job waits, not after it went', async () => {
    // No workers: the code's job waits in the queue until the test starts them.
    app = await broadcastApp(t.url, `${t.prefix}app:`, fake.url, { OUTBOUND_WORKER: 'false' });
    expect((await adminApi(app).registerCoordinator(COORDINATOR, 'Rosa')).statusCode).toBe(201);
    const browser = new ConsoleClient(app);
    const login = await browser.get('/console/login');
    const asked = await browser.post('/console/login/code', {
      _pre: hiddenValue(login.body, '_pre'),
      phone: COORDINATOR,
    });
    expect(asked.statusCode).toBe(200);
    // Enqueued once the page has answered.
    await waitFor(
      'the code’s send job',
      async () => (await app.outbound.queue('sms').getWaitingCount()) === 1,
    );
    const whileWaiting = await dumpPrefix(t.redis, `${t.prefix}app:`);

    fake.reset();
    app.outbound.start();
    const code = await codeSentTo(fake, COORDINATOR);
    expect(fake.messages[0]?.to).toBe(COORDINATOR);
    await waitFor(
      'the job to be over',
      async () => (await app.outbound.queue('sms').getCompletedCount()) === 1,
    );
    const after = await dumpPrefix(t.redis, `${t.prefix}app:`);

    const clear: Trace = { what: 'the code', pattern: new RegExp(`(?<![0-9])${code}(?![0-9])`) };
    expect(findTraces(whileWaiting, [clear])).toEqual([]);
    expect(findTraces(after, [clear])).toEqual([]);
    // And after the code went, its job holds neither the number nor the text.
    const queues = after.filter(({ key }) => key.startsWith(`${t.prefix}app:bull:`));
    const ids = (phone: string) => app.stores.personIds.learnerId(phone);
    expect(findTraces(queues, [...tracesOf(COORDINATOR, ids), textTrace('consola')])).toEqual([]);
  });
});
