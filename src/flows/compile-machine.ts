/**
 * Compiles the course (flows/*.yaml) into one XState machine per learner:
 *
 *   welcome ─▶ menu ─┬─▶ lessons ─▶ <lesson>.resume ─▶ step … step ─▶ <lesson>.done ─▶ lessons
 *                    ├─▶ <assessment>.resume ─▶ step … step ─▶ <assessment>.done ─▶ menu
 *                    └─ progress, help (answered in place)
 *   language (IDIOMA at any point) ─▶ menu
 *
 * Every action and guard is named in setup(), with its parameters in the config, so the
 * snapshot is plain JSON and the same machine can be restored in any process. The machine
 * never writes text: its `say` actions carry Reply descriptors that the engine renders.
 */
import { and, assign, setup } from 'xstate';
import type { AssessmentFlow, LessonFlow, Step } from '../content/flow-schema.js';
import type { Language } from '../content/locale-schema.js';
import type { Course } from './course.js';
import { qualifyKey } from './course.js';
import { initialContext, type LearnerContext, type LearnerEvent } from './learner-context.js';
import type { Reply, SayParams } from './reply.js';
import { scoreAssessment } from './score-assessment.js';

/** How the machine reads what learners type; provided by src/conversation. */
export interface AnswerReader {
  /** The option (1-based) the text picks among `optionKeys`, or null. */
  choice(text: string, optionKeys: string[], lang: Language): number | null;
  /** A numbered choice among `count` unlabelled items (menus, lists). */
  number(text: string, count: number, lang: Language): number | null;
  language(text: string): Language | null;
}

/** After this many wrong answers, the answer is revealed and the lesson goes on. */
export const WRONG_ANSWERS_BEFORE_REVEAL = 2;
export const MENU_ITEMS = 4;

type Ctx = LearnerContext;
type Ev = LearnerEvent;

function textOf(event: Ev): string {
  return event.type === 'TEXT' ? event.text : '';
}

function langOf(context: Ctx): Language {
  return context.lang ?? 'es';
}

export function compileLearnerMachine(course: Course, reader: AnswerReader) {
  const flowSetup = setup({
    types: {} as { context: Ctx; events: Ev },
    actions: {
      // The engine collects say actions from transition(); nothing runs here.
      say: (_args, _params: SayParams) => {},
      setLanguage: assign({ lang: ({ context, event }) => reader.language(textOf(event)) ?? context.lang }),
      mark: assign(({ context }, params: { flow: string; step: string; index: number }) => {
        const previous = context.marks[params.flow];
        return {
          tries: 0,
          marks: {
            ...context.marks,
            [params.flow]: { s: params.step, i: params.index, r: previous?.r ?? 0 },
          },
        };
      }),
      startFlow: assign(({ context }, params: { flow: string }) => {
        const { [params.flow]: _dropped, ...marks } = context.marks;
        return { tries: 0, marks, points: params.flow === course.assessment.id ? {} : context.points };
      }),
      countWrong: assign({ tries: ({ context }) => context.tries + 1 }),
      countRight: assign(({ context }, params: { flow: string }) => {
        const mark = context.marks[params.flow];
        if (!mark || context.tries > 0) return {};
        return { marks: { ...context.marks, [params.flow]: { ...mark, r: mark.r + 1 } } };
      }),
      recordPoints: assign({
        points: ({ context }, params: { step: string; points: number }) => ({
          ...context.points,
          [params.step]: params.points,
        }),
      }),
      finishLesson: assign(({ context }, params: { flow: string; total: number }) => {
        const { [params.flow]: mark, ...marks } = context.marks;
        return {
          marks,
          done: { ...context.done, [params.flow]: [mark?.r ?? 0, params.total] as [number, number] },
        };
      }),
      finishAssessment: assign(({ context, event }) => {
        const { [course.assessment.id]: _mark, ...marks } = context.marks;
        const now = event.type === 'TEXT' ? event.now : Date.now();
        return {
          marks,
          points: {},
          feasibility: {
            areas: scoreAssessment(course.assessment, context.points),
            on: new Date(now).toISOString().slice(0, 10),
          },
        };
      }),
    },
    guards: {
      hasLanguage: ({ context }) => context.lang !== null,
      isLanguageChoice: ({ event }) => reader.language(textOf(event)) !== null,
      isResumed: ({ event }) => event.type === 'TEXT' && event.resumed === true,
      isNumber: ({ context, event }, params: { count: number; n: number }) =>
        reader.number(textOf(event), params.count, langOf(context)) === params.n,
      isOption: ({ context, event }, params: { options: string[]; n: number }) =>
        reader.choice(textOf(event), params.options, langOf(context)) === params.n,
      isAnyOption: ({ context, event }, params: { options: string[] }) =>
        reader.choice(textOf(event), params.options, langOf(context)) !== null,
      hasTriesLeft: ({ context }) => context.tries + 1 < WRONG_ANSWERS_BEFORE_REVEAL,
      isBookmarkedAt: ({ context }, params: { flow: string; step: string }) =>
        context.marks[params.flow]?.s === params.step,
    },
  });

  // The states are generated from data, so their config is typed loosely here and checked as a
  // whole where it is handed to createMachine; the names it uses are the ones declared above.
  type Transition = { guard?: unknown; target?: string; reenter?: boolean; actions?: unknown[] };
  const say = (reply: Reply | ((context: Ctx) => Reply)) => ({
    type: 'say' as const,
    params: ({ context }: { context: Ctx }): SayParams => ({
      lang: langOf(context),
      reply: typeof reply === 'function' ? reply(context) : reply,
    }),
  });
  const text = (key: string, vars?: Record<string, string | number>) => say({ kind: 'text', key, vars });

  function flowStates(flow: LessonFlow | AssessmentFlow, after: string) {
    const stepIds = flow.steps.map((s) => s.id);
    const states: Record<string, object> = {
      resume: {
        always: [
          ...stepIds.map((step) => ({
            guard: { type: 'isBookmarkedAt', params: { flow: flow.id, step } },
            target: step,
          })),
          { actions: { type: 'startFlow', params: { flow: flow.id } }, target: stepIds[0] },
        ],
      },
    };
    flow.steps.forEach((step, index) => {
      const next = stepIds[index + 1] ?? 'done';
      states[step.id] = {
        entry: [
          { type: 'mark', params: { flow: flow.id, step: step.id, index } },
          say({ kind: 'step', flow: flow.id, step: step.id }),
        ],
        on: { TEXT: stepTransitions(flow, step, next) },
      };
    });
    states.done =
      flow.kind === 'lesson'
        ? {
            entry: [
              say((context) => ({
                kind: 'lessonDone',
                flow: flow.id,
                score: context.marks[flow.id]?.r ?? 0,
                total: flow.steps.filter((s) => s.type === 'question').length,
              })),
              {
                type: 'finishLesson',
                params: { flow: flow.id, total: flow.steps.filter((s) => s.type === 'question').length },
              },
            ],
            always: after,
          }
        : {
            entry: [
              'finishAssessment',
              say((context) => ({
                kind: 'feasibility',
                result: context.feasibility ?? { areas: {}, on: '' },
              })),
            ],
            always: after,
          };
    return { initial: 'resume', states };
  }

  function stepTransitions(flow: LessonFlow | AssessmentFlow, step: Step, next: string): Transition[] {
    const at = { flow: flow.id, step: step.id };
    // Back after a long pause (or the flow changed under them): show the step again rather
    // than read an old "hola" as an answer.
    const welcomeBack: Transition = {
      guard: 'isResumed',
      target: step.id,
      reenter: true,
      actions: [text('welcome_back')],
    };
    const reprompt: Transition = { actions: [say({ kind: 'reprompt', ...at })] };
    if (step.type === 'message') return [welcomeBack, { target: next }];
    if (step.type === 'question') {
      const options = step.options.map((key) => qualifyKey(flow.id, key));
      return [
        {
          guard: { type: 'isOption', params: { options, n: step.answer } },
          actions: [{ type: 'countRight', params: { flow: flow.id } }, say({ kind: 'right', ...at })],
          target: next,
        },
        {
          guard: and([{ type: 'isAnyOption', params: { options } }, 'hasTriesLeft']),
          actions: ['countWrong', say({ kind: 'wrong', ...at })],
        },
        {
          guard: { type: 'isAnyOption', params: { options } },
          actions: [say({ kind: 'reveal', ...at })],
          target: next,
        },
        welcomeBack,
        reprompt,
      ];
    }
    const options = step.options.map((o) => qualifyKey(flow.id, o.text));
    return [
      ...step.options.map((option, i): Transition => ({
        guard: { type: 'isOption', params: { options, n: i + 1 } },
        actions: [{ type: 'recordPoints', params: { step: step.id, points: option.points } }],
        target: next,
      })),
      welcomeBack,
      reprompt,
    ];
  }

  const lessonCount = course.lessons.length;
  const isNumber = (count: number, n: number) => ({ type: 'isNumber' as const, params: { count, n } });
  const backAfterPause = (state: string): Transition => ({
    guard: 'isResumed',
    target: state,
    reenter: true,
    actions: [text('welcome_back')],
  });
  const flows: Record<string, object> = {};
  for (const lesson of course.lessons) flows[lesson.id] = flowStates(lesson, '#learner.lessons');
  flows[course.assessment.id] = flowStates(course.assessment, '#learner.menu');

  type MachineConfig = Parameters<typeof flowSetup.createMachine>[0];
  const config = {
    id: 'learner',
    context: initialContext,
    initial: 'welcome',
    on: {
      MENU: [
        { guard: 'hasLanguage', target: '.menu', reenter: true },
        { target: '.welcome', reenter: true },
      ],
      LANGUAGE: { target: '.language', reenter: true },
      HELP: { actions: [text('help')] },
    },
    states: {
      welcome: {
        entry: [say({ kind: 'welcome' }), text('choose_language')],
        on: {
          TEXT: [
            { guard: 'isLanguageChoice', actions: ['setLanguage'], target: 'menu' },
            { actions: [text('reprompt.language')] },
          ],
        },
      },
      language: {
        entry: [text('choose_language')],
        on: {
          TEXT: [
            { guard: 'isLanguageChoice', actions: ['setLanguage', text('language_changed')], target: 'menu' },
            { actions: [text('reprompt.language')] },
          ],
        },
      },
      menu: {
        entry: [text('menu')],
        on: {
          TEXT: [
            { guard: isNumber(MENU_ITEMS, 1), target: 'lessons' },
            { guard: isNumber(MENU_ITEMS, 2), target: `flow.${course.assessment.id}` },
            {
              guard: isNumber(MENU_ITEMS, 3),
              actions: [say((c) => ({ kind: 'progress', done: c.done, feasibility: c.feasibility }))],
            },
            { guard: isNumber(MENU_ITEMS, 4), actions: [text('help')] },
            backAfterPause('menu'),
            { actions: [text('reprompt.menu')] },
          ],
        },
      },
      lessons: {
        entry: [say((c) => ({ kind: 'lessons', done: Object.keys(c.done) }))],
        on: {
          TEXT: [
            ...course.lessons.map((lesson, i) => ({
              guard: isNumber(lessonCount, i + 1),
              target: `flow.${lesson.id}`,
            })),
            backAfterPause('lessons'),
            { actions: [text('reprompt.lessons', { count: lessonCount })] },
          ],
        },
      },
      flow: { initial: course.assessment.id, states: flows },
    },
  };
  return flowSetup.createMachine(config as MachineConfig);
}

export type LearnerMachine = ReturnType<typeof compileLearnerMachine>;
