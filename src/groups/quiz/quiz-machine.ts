/**
 * One group quiz as an XState machine: ask a question, close it (everyone answered, or the
 * timeout fired), reveal the result, ask the next, and at the end give the leaderboard. The
 * machine is pure; its `ask`, `reveal` and `finish` actions are effects the quiz runner carries
 * out (fan-out to members, timers). A CLOSE for a question that is no longer current changes
 * nothing, so a timeout and an "everyone answered" that race each other close it once.
 */
import { and, assign, setup } from 'xstate';

export interface QuizContext {
  quizId: string;
  groupId: string;
  /** the lesson the questions come from */
  flow: string;
  /** its question step ids, in order */
  questions: string[];
  /** the question being asked, counted from 0 */
  index: number;
}

export type QuizEvent = { type: 'CLOSE'; index: number };

export interface QuizEffect {
  type: 'ask' | 'reveal' | 'finish';
  index: number;
}

export const quizMachine = setup({
  types: {} as { context: QuizContext; events: QuizEvent; input: QuizContext },
  actions: {
    // Effects, carried out by the quiz runner from transition()'s actions.
    ask: (_args, _params: { index: number }) => {},
    reveal: (_args, _params: { index: number }) => {},
    finish: (_args, _params: { index: number }) => {},
    next: assign({ index: ({ context }) => context.index + 1 }),
  },
  guards: {
    isCurrent: ({ context, event }) => event.index === context.index,
    hasMore: ({ context }) => context.index + 1 < context.questions.length,
  },
}).createMachine({
  id: 'quiz',
  context: ({ input }) => input,
  initial: 'asking',
  states: {
    asking: {
      entry: [{ type: 'ask', params: ({ context }) => ({ index: context.index }) }],
      on: {
        CLOSE: [
          {
            guard: and(['isCurrent', 'hasMore']),
            actions: [{ type: 'reveal', params: ({ context }) => ({ index: context.index }) }, 'next'],
            target: 'asking',
            reenter: true,
          },
          {
            guard: 'isCurrent',
            actions: [
              { type: 'reveal', params: ({ context }) => ({ index: context.index }) },
              { type: 'finish', params: ({ context }) => ({ index: context.index }) },
            ],
            target: 'finished',
          },
        ],
      },
    },
    finished: { type: 'final' },
  },
});
