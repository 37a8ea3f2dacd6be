// Shared by the nudge tests: a learner walked into the first Think.COOP lesson, the nudges the
// fake Twilio received for a number, and where the learner stands in the due-nudge sets.
import type { Redis } from 'ioredis';
import type { LessonFlow } from '../../src/content/flow-schema.js';
import { afterAll } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { useFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { fakeTwilioEnv } from '../support/twilio-signing.js';
import { learnerId } from '../support/person-ids.js';
import { readSession, testApp, type Learner } from '../http/helpers.js';

export const ADMIN_TOKEN = 'admin-secret-of-at-least-32-characters';

/**
 * The real app sending through a fake Twilio, the nudge worker polling every 200 ms, for a whole
 * test file; `clock` is the app's (the worker's "now", the WhatsApp window).
 */
export async function useNudgeApp(
  redisUrl: string,
  prefix: string,
  env: Record<string, string>,
  clock?: () => number,
) {
  const fake = await useFakeTwilio();
  const app = await testApp(redisUrl, prefix, {
    env: { ADMIN_TOKEN, ...fakeTwilioEnv(fake.url), SMS_RATE_PER_SECOND: '50', NUDGE_POLL_MS: '200', ...env },
    clock,
  });
  afterAll(() => app.close());
  return { app, fake };
}

/** A Bolivian number of the nudge tests (file 14, the issue), n from 0. */
export function nudgeNumber(n: number): string {
  return `+59171400${String(n).padStart(3, '0')}`;
}

/**
 * Spanish, Think.COOP, the first lesson: the learner stands on its first step, or on WhatsApp
 * (which reads ahead over message steps) on the first step that waits for them.
 */
export async function intoFirstLesson(learner: Learner): Promise<void> {
  await learner.sendAll('hola', '1', '1', '1');
}

/**
 * The step (from 1) of `lesson` the learner stands on, read from their session: what a nudge
 * names. `phone` without the `whatsapp:` prefix.
 */
export async function stepNumberOf(
  redis: Redis,
  prefix: string,
  phone: string,
  lesson: LessonFlow,
): Promise<number> {
  const { value } = (await readSession(redis, prefix, phone)).snapshot as {
    value: { flow?: Record<string, string> };
  };
  const stepId = value.flow?.[lesson.id];
  const index = lesson.steps.findIndex((step) => step.id === stepId);
  if (index < 0) throw new Error(`${phone} is not in ${lesson.id}: ${JSON.stringify(value)}`);
  return index + 1;
}

/** The nudge texts (Spanish) the fake Twilio got for this number, in order, with when. */
export function nudgesTo(
  fake: FakeTwilio,
  to: string,
): { body: string; at: number; params: Record<string, string> }[] {
  return fake.requests
    .filter(
      (r) => r.method === 'POST' && r.path.endsWith('/Messages.json') && r.status < 300 && r.params.To === to,
    )
    .filter((r) => (r.params.Body ?? '').startsWith('Te quedaste') || r.params.ContentSid !== undefined)
    .map((r) => ({ body: r.params.Body ?? '', at: r.receivedAt, params: r.params }));
}

/** The learner's next nudge time, or null when none is scheduled. */
export async function nextNudgeOf(redis: Redis, prefix: string, phone: string): Promise<number | null> {
  const id = learnerId(phone);
  const score = await redis.zscore(new Keyspace(prefix).nudgesDueOf(id), id);
  return score === null ? null : Number(score);
}
