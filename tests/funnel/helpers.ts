// Scripted journeys through one lesson, for the funnel tests: every step to the end (right at
// once, or a wrong option first), or stopping on a step. Driven by where the learner stands (read
// from their session), because WhatsApp reads ahead: one "1" there can pass several message steps.
import type { Redis } from 'ioredis';
import type { LessonFlow } from '../../src/content/flow-schema.js';
import { rawSession, type Learner } from '../http/helpers.js';

/** A wrong option of a question: the first that is not the answer. */
export function wrongOption(answer: number): number {
  return answer === 1 ? 2 : 1;
}

/** The index of the lesson's step the learner stands on; -1 when they are not in the lesson. */
export async function standingIndex(
  redis: Redis,
  prefix: string,
  learner: Learner,
  lesson: LessonFlow,
): Promise<number> {
  const raw = await rawSession(redis, prefix, learner.phone);
  const value = raw ? (JSON.parse(raw) as { snapshot: { value: unknown } }).snapshot.value : null;
  const stepId = (value as { flow?: Record<string, string> } | null)?.flow?.[lesson.id];
  return lesson.steps.findIndex((step) => step.id === stepId);
}

/**
 * Walks the lesson from the step the learner stands on to its end, or until they stand on the
 * step with index `stopAt` (they stop there: `stopAt: 2` stops on step 3, or past it where
 * reading ahead went further).
 */
export async function walkLesson(
  learner: Learner,
  lesson: LessonFlow,
  { redis, prefix }: { redis: Redis; prefix: string },
  { wrongFirst = false, stopAt = Infinity }: { wrongFirst?: boolean; stopAt?: number } = {},
): Promise<void> {
  for (let last = -1; ;) {
    const at = await standingIndex(redis, prefix, learner, lesson);
    const step = lesson.steps[at];
    if (!step || at >= stopAt) return;
    if (at === last) throw new Error(`${lesson.id}: the learner did not move on from step ${at + 1}`);
    last = at;
    if (step.type !== 'question') {
      await learner.sendAll('1');
      continue;
    }
    if (wrongFirst) await learner.sendAll(String(wrongOption(step.answer)));
    await learner.sendAll(String(step.answer));
  }
}
