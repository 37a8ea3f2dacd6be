// Scripted journeys through one lesson, for the funnel tests: every step to the end (right at
// once, or a wrong option first), or stopping after a number of steps.
import type { LessonFlow } from '../../src/content/flow-schema.js';
import type { Learner } from '../http/helpers.js';

/** A wrong option of a question: the first that is not the answer. */
export function wrongOption(answer: number): number {
  return answer === 1 ? 2 : 1;
}

/** Walks the lesson from its first step; `steps` limits how many steps are answered. */
export async function walkLesson(
  learner: Learner,
  lesson: LessonFlow,
  { wrongFirst = false, steps = Infinity }: { wrongFirst?: boolean; steps?: number } = {},
): Promise<void> {
  for (const step of lesson.steps.slice(0, steps)) {
    if (step.type !== 'question') {
      await learner.sendAll('1');
      continue;
    }
    if (wrongFirst) await learner.sendAll(String(wrongOption(step.answer)));
    await learner.sendAll(String(step.answer));
  }
}
