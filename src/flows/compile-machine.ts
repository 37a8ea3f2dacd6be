/**
 * Compiles the course (flows/*.yaml) into one XState machine per learner:
 *
 *   welcome ─▶ menu ─┬─▶ list.<section>.p<n> ─▶ flow.<lesson>.resume ─▶ step … ─▶ done ─▶ list
 *                    ├─▶ flow.<assessment>.resume ─▶ step … step ─▶ done ─▶ menu
 *                    └─ progress, help (answered in place)
 *   language (IDIOMA at any point) ─▶ menu
 *   a lesson that completes the completion section ─▶ completed ─▶ menu
 *
 * Every action and guard is named in setup(), with its parameters in the config, so the
 * snapshot is plain JSON and the same machine can be restored in any process. The machine
 * never writes text: its `say` actions carry Reply descriptors that the engine renders.
 */
import { and, assign, setup } from 'xstate';
import type { Step } from '../content/flow-schema.js';
import type { Language } from '../content/locale-schema.js';
import { completionCode } from './completion-code.js';
import type { AnyFlow, Course, Section } from './course.js';
import { nextStepOf, qualifyKey } from './course.js';
import { initialContext, type LearnerContext, type LearnerEvent } from './learner-context.js';
import type { CompletionParams, Reply, SayParams } from './reply.js';
import { scoreAssessment } from './score-assessment.js';

/** How the machine reads what learners type; provided by src/conversation. */
export interface AnswerReader {
  /** The option (1-based) the text picks among `optionKeys`, or null. */
  choice(text: string, optionKeys: string[], lang: Language): number | null;
  /** A numbered choice among `count` unlabelled items (menus, lists), or null. */
  number(text: string, count: number, lang: Language): number | null;
  language(text: string): Language | null;
}

/** After this many wrong answers, the answer is revealed and the lesson goes on. */
export const WRONG_ANSWERS_BEFORE_REVEAL = 2;

/** What each menu number opens, in order: see courseFile in src/content/flow-schema.ts. */
export type MenuItem = { kind: 'section'; section: Section } | { kind: 'assessment' | 'progress' | 'help' };

export function menuItems(course: Course): MenuItem[] {
  const [first, ...others] = course.sections.map((section) => ({ kind: 'section' as const, section }));
  return [
    ...(first ? [first] : []),
    { kind: 'assessment' },
    ...others,
    { kind: 'progress' },
    { kind: 'help' },
  ];
}

type Ctx = LearnerContext;
type Ev = LearnerEvent;

const textOf = (event: Ev): string => (event.type === 'TEXT' ? event.text : '');
const langOf = (context: Ctx): Language => context.lang ?? 'es';
/** The learners' time zone: a day is a day in Bolivia, not in UTC. */
export const DEFAULT_TIME_ZONE = 'America/La_Paz';

export function compileLearnerMachine(course: Course, reader: AnswerReader, timeZone = DEFAULT_TIME_ZONE) {
  const completion = course.completion;
  // en-CA writes dates as YYYY-MM-DD.
  const dayFormat = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const dayOf = (event: Ev): string =>
    dayFormat.format(new Date(event.type === 'TEXT' ? event.now : Date.now()));
  const flowSetup = setup({
    types: {} as { context: Ctx; events: Ev },
    actions: {
      // The engine collects these from transition() and carries them out; nothing runs here.
      say: (_args, _params: SayParams) => {},
      recordCompletion: (_args, _params: CompletionParams) => {},
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
        return {
          marks,
          points: {},
          feasibility: { areas: scoreAssessment(course.assessment, context.points), on: dayOf(event) },
        };
      }),
      award: assign(({ event }, params: { section: string }) => ({
        cert: {
          code: completionCode(event.type === 'TEXT' ? (event.learner ?? '') : '', params.section),
          on: dayOf(event),
        },
      })),
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
      hasTriesLeft: ({ context }) => context.tries + 1 < WRONG_ANSWERS_BEFORE_REVEAL,
      isBookmarkedAt: ({ context }, params: { flow: string; step: string }) =>
        context.marks[params.flow]?.s === params.step,
      earnsCompletion: ({ context }) =>
        !!completion &&
        context.cert === null &&
        completion.flows.every((f) => f.kind !== 'lesson' || context.done[f.id]),
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
  const isNumber = (count: number, n: number) => ({ type: 'isNumber' as const, params: { count, n } });
  const backAfterPause = (state: string): Transition => ({
    guard: 'isResumed',
    target: state,
    reenter: true,
    actions: [text('welcome_back')],
  });

  /** The list page that shows a flow's section after it: the next lesson is in view. */
  const listAfter = (flow: AnyFlow): string => {
    const found = course.sectionOf(flow.id);
    if (!found) return '#learner.menu';
    const nextIndex = Math.min(found.index + 1, found.section.flows.length - 1);
    return `#learner.list.${found.section.id}.p${Math.floor(nextIndex / found.section.pages[0]!.length) + 1}`;
  };

  function stepTransitions(flow: AnyFlow, step: Step, next: string): Transition[] {
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

  function flowStates(flow: AnyFlow) {
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
      states[step.id] = {
        entry: [
          { type: 'mark', params: { flow: flow.id, step: step.id, index } },
          say({ kind: 'step', flow: flow.id, step: step.id }),
        ],
        on: { TEXT: stepTransitions(flow, step, nextStepOf(flow, index)) },
      };
    });
    if (flow.kind === 'lesson') {
      const total = flow.steps.filter((s) => s.type === 'question').length;
      states.done = {
        entry: [
          say((context) => ({
            kind: 'lessonDone',
            flow: flow.id,
            score: context.marks[flow.id]?.r ?? 0,
            total,
          })),
          { type: 'finishLesson', params: { flow: flow.id, total } },
        ],
        always: [{ guard: 'earnsCompletion', target: '#learner.completed' }, { target: listAfter(flow) }],
      };
    } else {
      states.done = {
        entry: [
          'finishAssessment',
          say((context) => ({ kind: 'feasibility', result: context.feasibility ?? { areas: {}, on: '' } })),
        ],
        always: '#learner.menu',
      };
    }
    return { initial: 'resume', states };
  }

  function listStates(section: Section) {
    const count = section.flows.length;
    const states: Record<string, object> = {};
    section.pages.forEach((_, page) => {
      const here = `p${page + 1}`;
      const more = `p${((page + 1) % section.pages.length) + 1}`;
      states[here] = {
        entry: [say((c) => ({ kind: 'lessons', section: section.id, page, done: Object.keys(c.done) }))],
        on: {
          TEXT: [
            ...section.flows.map((flow, i) => ({
              guard: isNumber(count, i + 1),
              target: `#learner.flow.${flow.id}`,
            })),
            ...(section.pages.length > 1 ? [{ guard: 'isMore', target: more, reenter: true }] : []),
            backAfterPause(here),
            { actions: [text('reprompt.lessons', { count })] },
          ],
        },
      };
    });
    return { initial: 'p1', states };
  }

  const items = menuItems(course);
  const menuTransitions: Transition[] = items.map((item, i) => {
    const guard = isNumber(items.length, i + 1);
    switch (item.kind) {
      case 'section':
        return { guard, target: `#learner.list.${item.section.id}` };
      case 'assessment':
        return { guard, target: `#learner.flow.${course.assessment.id}` };
      case 'progress':
        return {
          guard,
          actions: [
            say((c) => ({ kind: 'progress', done: c.done, feasibility: c.feasibility, cert: c.cert })),
          ],
        };
      case 'help':
        return { guard, actions: [text('help')] };
    }
  });

  const flows: Record<string, object> = {};
  for (const flow of [...course.lessons, course.assessment]) flows[flow.id] = flowStates(flow);
  const lists: Record<string, object> = {};
  for (const section of course.sections) lists[section.id] = listStates(section);

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
            ...menuTransitions,
            backAfterPause('menu'),
            { actions: [text('reprompt.menu', { count: items.length })] },
          ],
        },
      },
      list: { initial: course.sections[0]!.id, states: lists },
      flow: { initial: course.assessment.id, states: flows },
      completed: {
        entry: completion
          ? [
              { type: 'award', params: { section: completion.id } },
              say((c) => ({ kind: 'completed', section: completion.id, code: c.cert?.code ?? '' })),
              {
                type: 'recordCompletion',
                params: ({ context }: { context: Ctx }): CompletionParams => ({
                  section: completion.id,
                  code: context.cert?.code ?? '',
                  on: context.cert?.on ?? '',
                }),
              },
            ]
          : [],
        always: '#learner.menu',
      },
    },
  };
  type MachineConfig = Parameters<typeof flowSetup.createMachine>[0];
  return flowSetup.createMachine(config as MachineConfig);
}

export type LearnerMachine = ReturnType<typeof compileLearnerMachine>;
