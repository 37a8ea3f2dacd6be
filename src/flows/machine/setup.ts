/**
 * The learner machine's setup(): its types and every action and guard it names. Every one is
 * named here, with its parameters in the config, so the snapshot is plain JSON and the same
 * machine can be restored in any process.
 */
import { assign, setup } from 'xstate';
import type { Course } from '../course.js';
import { langOf, type LearnerContext, type LearnerEvent } from '../learner-context.js';
import type { AmountProblem, CompletionParams, SayParams } from '../reply.js';
import type { AmountReading, AnswerReader } from './answer-reader.js';
import * as update from './context-updates.js';

/** After this many wrong answers, the answer is revealed and the lesson goes on. */
export const WRONG_ANSWERS_BEFORE_REVEAL = 2;

/** The learners' time zone: a day is a day in Bolivia, not in UTC. */
export const DEFAULT_TIME_ZONE = 'America/La_Paz';

type Ev = LearnerEvent;

const textOf = (event: Ev): string => (event.type === 'TEXT' ? event.text : '');

export function learnerSetup(course: Course, reader: AnswerReader, timeZone: string) {
  const { completion, assessment } = course;
  const dayOf = dayOfEvent(timeZone);
  return setup({
    types: {} as { context: LearnerContext; events: Ev },
    actions: {
      // The engine collects these from transition() and carries them out; nothing runs here.
      say: (_args, _params: SayParams) => {},
      recordCompletion: (_args, _params: CompletionParams) => {},
      setLanguage: assign({ lang: ({ context, event }) => reader.language(textOf(event)) ?? context.lang }),
      mark: assign(({ context }, params: { flow: string; step: string; index: number }) =>
        update.bookmark(context, params),
      ),
      startFlow: assign(({ context }, params: { flow: string }) =>
        update.startFlow(context, params.flow, assessment.id),
      ),
      countWrong: assign({ tries: ({ context }) => context.tries + 1 }),
      countRight: assign(({ context }, params: { flow: string }) => update.countRight(context, params.flow)),
      recordPoints: assign({
        points: ({ context }, params: { step: string; points: number }) => ({
          ...context.points,
          [params.step]: params.points,
        }),
      }),
      storeAmount: assign({
        nums: ({ context, event }, params: { name: string }) => {
          const read = reader.amount(textOf(event));
          return 'value' in read ? { ...context.nums, [params.name]: read.value } : context.nums;
        },
      }),
      finishLesson: assign(({ context }, params: { flow: string; total: number }) =>
        update.finishLesson(context, params.flow, params.total),
      ),
      finishAssessment: assign(({ context, event }) =>
        update.finishAssessment(context, assessment, dayOf(event)),
      ),
      award: assign(({ event }, params: { section: string }) =>
        update.award(event.type === 'TEXT' ? (event.codeSeed?.() ?? '') : '', params.section, dayOf(event)),
      ),
    },
    guards: {
      hasLanguage: ({ context }) => context.lang !== null,
      isLanguageChoice: ({ event }) => reader.language(textOf(event)) !== null,
      isResumed: ({ event }) => event.type === 'TEXT' && event.resumed === true,
      isMore: ({ event }) => textOf(event).trim() === '0',
      isNumber: ({ context, event }, params: { count: number; n: number }) =>
        reader.number(textOf(event), params.count, langOf(context)) === params.n,
      isOption: ({ context, event }, params: { options: string[]; n: number }) =>
        reader.choice(textOf(event), params.options, langOf(context)) === params.n,
      isAnyOption: ({ context, event }, params: { options: string[] }) =>
        reader.choice(textOf(event), params.options, langOf(context)) !== null,
      isAmountIn: ({ event }, params: { min: number; max: number }) => {
        const read = reader.amount(textOf(event));
        return 'value' in read && read.value >= params.min && read.value <= params.max;
      },
      isAmountProblem: ({ event }, params: { min: number; max: number; problem: AmountProblem }) =>
        amountProblem(reader.amount(textOf(event)), params.min, params.max) === params.problem,
      hasTriesLeft: ({ context }) => context.tries + 1 < WRONG_ANSWERS_BEFORE_REVEAL,
      isBookmarkedAt: ({ context }, params: { flow: string; step: string }) =>
        context.marks[params.flow]?.s === params.step,
      earnsCompletion: ({ context }) =>
        !!completion &&
        context.cert === null &&
        completion.flows.every((f) => f.kind !== 'lesson' || context.done[f.id]),
    },
  });
}

/** Why a reading is not a figure between min and max, or null when it is one. */
function amountProblem(read: AmountReading, min: number, max: number): AmountProblem | null {
  if (!('value' in read)) return read.problem === 'negative' ? 'low' : 'nan';
  if (read.value < min) return 'low';
  if (read.value > max) return 'high';
  return null;
}

/** The day (YYYY-MM-DD) a message was sent, in the learners' time zone. */
function dayOfEvent(timeZone: string): (event: Ev) => string {
  // en-CA writes dates as YYYY-MM-DD.
  const dayFormat = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (event) => dayFormat.format(new Date(event.type === 'TEXT' ? event.now : Date.now()));
}
