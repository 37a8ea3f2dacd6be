// A broadcast to every learner, while three Ayni processes share one Redis; the process running
// the broadcast's fan-out is killed with SIGKILL halfway, with two of its sends in flight (one
// created at Twilio whose answer never came back, one that never reached Twilio). The others take
// the fan-out up from its saved page and the dead process's sends, and every learner gets the
// broadcast exactly once (counted per recipient at the fake Twilio).
//
// Slow by nature: BullMQ notices a dead worker's jobs by their expired locks (lockDuration and
// stalledInterval, 30 s each, are not configurable from the environment), and the sender waits
// out a claim's 45 s in-flight window before it asks Twilio whether the message exists.
import { afterAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-server.js';
import { useTestRedis } from '../support/test-redis.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { fakeTwilioEnv } from '../support/twilio-signing.js';
import { fetchTransport, Learner, testEnv } from '../http/helpers.js';
import { ADMIN_TOKEN, api, bodiesTo } from './cluster.js';
import { twilioDoors } from './twilio-doors.js';

const { url: redisUrl, prefix } = useTestRedis();
const fake = await useFakeTwilioPlus();
const doors = twilioDoors(fake.url);
const apps: AppProcess[] = [];

/**
 * Enough learners, at 2 SMS a second, for the fan-out to be still running when the kill comes,
 * even when starting the other two processes takes half a minute on a busy machine.
 */
const LEARNERS = Array.from({ length: 120 }, (_v, i) => `+5917500${String(i).padStart(4, '0')}`);
const TEXT = 'Taller de cooperativas: manana 10:00 en la sede.';

async function start(door: string): Promise<AppProcess> {
  const app = await startAppProcess({
    env: testEnv(redisUrl, prefix, {
      LOG_LEVEL: 'warn',
      ADMIN_TOKEN,
      ...fakeTwilioEnv(await doors.open(door)),
      SMS_RATE_PER_SECOND: '2',
      // Small pages, and a fan-out that waits for the queue: it runs as long as the sending does.
      BROADCAST_PAGE_SIZE: '4',
      BROADCAST_BACKLOG_SECONDS: '1',
    }),
  });
  apps.push(app);
  return app;
}

afterAll(async () => {
  const exits = await Promise.all(apps.map((app) => app.stop()));
  await doors.close();
  for (const exit of exits) if (exit.signal !== 'SIGKILL') expect(exit.code).toBe(0);
}, 60_000);

const broadcastsTo = (phone: string) => bodiesTo(fake.fake.messages, phone).filter((b) => b === TEXT);
const sentSoFar = () => fake.fake.messages.filter((m) => m.body === TEXT).length;

interface Status {
  state: string;
  counts: { targeted: number; queued: number; sent: number; failed: number; skipped: number };
  occurrences: Array<{ fannedOut: boolean }>;
}

async function status(app: AppProcess, id: string): Promise<Status> {
  const response = await fetch(`${app.url}/api/broadcasts/${id}`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: AbortSignal.timeout(5_000),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Status;
}

describe('a process killed with SIGKILL during a broadcast', () => {
  it('mid fan-out, with sends in flight: every learner still gets it exactly once', async () => {
    // Alone at first, so that its worker takes the fan-out.
    const victim = await start('victim');
    for (const phone of LEARNERS) await new Learner(phone, fetchTransport(victim.url)).sendAll('Hola');

    const created = await api<{ id: string; targeted: number }>(victim, '/api/broadcasts', {
      target: { all: true },
      text: { es: TEXT },
    });
    expect(created.status).toBe(201);
    expect(created.json.targeted).toBe(LEARNERS.length);
    const id = created.json.id;
    await waitFor('the first messages', () => sentSoFar() >= 2, 15_000);

    // Two more processes; then the victim's next two sends are held open, and it dies.
    const survivors = await Promise.all([start('survivors'), start('survivors')]);
    doors.holdNext('victim', 1, 'after');
    doors.holdNext('victim', 1, 'before');
    await waitFor('two of the victim’s sends in flight', () => doors.held('victim') === 2, 20_000);
    const before = await status(victim, id);
    expect(before.state).toBe('sending');
    expect(before.occurrences[0]?.fannedOut).toBe(false);
    await victim.kill();
    const atKill = sentSoFar();
    expect(atKill).toBeLessThan(LEARNERS.length);

    await waitFor(
      'every learner to get the broadcast',
      () => LEARNERS.every((phone) => broadcastsTo(phone).length >= 1),
      150_000,
      () => `${sentSoFar()} of ${LEARNERS.length} sent; ${atKill} when the victim died`,
    );
    await waitFor(
      'the broadcast to be done',
      async () => (await status(survivors[0]!, id)).state === 'done',
      20_000,
    );
    // Let a duplicate that was going to happen arrive.
    await sleep(1_000);

    for (const phone of LEARNERS) expect(broadcastsTo(phone), phone).toHaveLength(1);
    expect(sentSoFar()).toBe(LEARNERS.length);
    const after = await status(survivors[1]!, id);
    expect(after.counts).toMatchObject({
      targeted: LEARNERS.length,
      queued: LEARNERS.length,
      sent: LEARNERS.length,
      failed: 0,
      skipped: 0,
    });
    // The message Twilio created for the dead process was found in Twilio's list, not sent again.
    expect(fake.listRequests).toBeGreaterThan(0);
    expect(doors.created('survivors')).toBeGreaterThan(0);
    for (const app of survivors) expect(app.alive(), app.output()).toBe(true);
  }, 240_000);
});
