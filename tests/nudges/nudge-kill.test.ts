// Exactly once across a crash: the process finding due nudges and sending them is killed
// (SIGKILL) while nudges are going out. Another process takes over the stalled send jobs and the
// due learners left, and every quiet learner gets their nudge exactly once.
import { afterAll, expect, it } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { NudgeSchedule } from '../../src/store/nudge-schedule.js';
import { SessionStore, type SessionRecord } from '../../src/store/session-store.js';
import { initialContext } from '../../src/flows/learner-context.js';
import { startChildWorker } from '../support/child-worker.js';
import { killAllChildren, type Child } from '../support/children.js';
import { realContent } from '../support/content.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { learnerId } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { nudgeNumber } from './helpers.js';

const { url, prefix, redis } = useTestRedis();
const twilio = await useFakeTwilioPlus();
afterAll(() => killAllChildren());

const LEARNERS = Array.from({ length: 140 }, (_, i) => nudgeNumber(300 + i));
const keys = new Keyspace(prefix);
const schedule = new NudgeSchedule(redis, keys);

/** A learner on the first step of the first lesson, quiet for five seconds: their nudge is due. */
async function quietLearner(phone: string, now: number): Promise<void> {
  const lesson = realContent().course.lessons[0]!;
  const record: SessionRecord = {
    flowVersion: realContent().course.version,
    snapshot: {
      value: { flow: { [lesson.id]: lesson.steps[0]!.id } },
      context: { ...initialContext(), lang: 'es' },
    },
    address: phone,
    lastInboundAt: now - 5_000,
    optedOut: false,
    turns: 4,
    seen: [],
    lastReplies: [],
  };
  await new SessionStore(redis, keys).save(learnerId(phone), record);
  await schedule.set(learnerId(phone), now - 4_000);
}

function startWorker(): Promise<Child> {
  return startChildWorker(
    'tests/nudges/nudge-worker-child.ts',
    { redisUrl: url, prefix, twilioUrl: twilio.url },
    // 40 SMS a second over 140 learners: a kill after 30 lands with sends still to go.
    { SMS_RATE_PER_SECOND: '40', NUDGE_PAGE_SIZE: '10' },
  );
}

it('nudges each quiet learner exactly once across a SIGKILL', async () => {
  const now = Date.now();
  for (const phone of LEARNERS) await quietLearner(phone, now);

  const first = await startWorker();
  await waitFor('the first nudges', () => twilio.fake.messages.length >= 30, 15_000);
  await first.kill();
  expect(twilio.fake.messages.length).toBeLessThan(LEARNERS.length);

  const second = await startWorker();
  await waitFor(
    'every learner nudged',
    () => new Set(twilio.fake.messages.map((m) => m.to)).size === LEARNERS.length,
    30_000,
  );
  await waitFor('nothing left to find', async () => (await schedule.waiting()) === 0);
  await second.stop('SIGTERM');

  const perLearner = new Map<string, number>();
  for (const message of twilio.fake.messages)
    perLearner.set(message.to, (perLearner.get(message.to) ?? 0) + 1);
  expect([...perLearner.keys()].sort()).toEqual([...LEARNERS].sort());
  expect([...perLearner.entries()].filter(([, n]) => n !== 1)).toEqual([]);
  expect(twilio.fake.messages.every((m) => m.body.startsWith('Te quedaste en'))).toBe(true);
}, 60_000);
