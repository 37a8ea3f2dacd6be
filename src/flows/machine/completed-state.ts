/**
 * Finishing every lesson of the completion section: the learner is given their completion code,
 * the engine records it, and the learner goes back to the menu.
 */
import type { Course } from '../course.js';
import type { LearnerContext } from '../learner-context.js';
import type { CompletionParams } from '../reply.js';
import { say } from './transitions.js';

export function completedState(course: Course) {
  const completion = course.completion;
  return {
    entry: completion
      ? [
          { type: 'award', params: { section: completion.id } },
          say((c) => ({ kind: 'completed', section: completion.id, code: c.cert?.code ?? '' })),
          {
            type: 'recordCompletion',
            params: ({ context }: { context: LearnerContext }): CompletionParams => ({
              section: completion.id,
              code: context.cert?.code ?? '',
              on: context.cert?.on ?? '',
            }),
          },
        ]
      : [],
    always: '#learner.menu',
  };
}
