// The way through the real course, read from flows/ rather than written into the tests: which
// menu number opens what, the first lesson, its steps in order, and the texts a learner sees on
// the way, in a language and spelled for a channel. Content can change; these tests follow it.
import type { LessonFlow, Step } from '../../src/content/flow-schema.js';
import type { Language } from '../../src/content/locale-schema.js';
import { menuItems, type MenuItem } from '../../src/flows/compile-machine.js';
import { nextStepOf, qualifyKey, type AnyFlow, type Section } from '../../src/flows/course.js';
import { realContent } from '../support/content.js';
import { say } from './helpers.js';

export type Channel = 'sms' | 'whatsapp';
type Vars = Record<string, string | number>;

export function course() {
  return realContent().course;
}

/** The menu number (as the learner types it) of the first menu item of this kind. */
export function menuNumber(kind: MenuItem['kind'], sectionId?: string): string {
  const index = menuItems(course()).findIndex(
    (item) => item.kind === kind && (item.kind !== 'section' || !sectionId || item.section.id === sectionId),
  );
  if (index < 0) throw new Error(`the menu has no ${kind}`);
  return String(index + 1);
}

/** The steps a learner goes through, in order, following each step's `next`. */
export function stepPath(flow: AnyFlow): Step[] {
  const path: Step[] = [];
  let index = 0;
  while (index >= 0 && index < flow.steps.length && path.length <= flow.steps.length) {
    const step = flow.steps[index] as Step;
    path.push(step);
    const next = nextStepOf(flow, index);
    index = next === 'done' ? -1 : flow.steps.findIndex((s) => s.id === next);
  }
  return path;
}

export interface LessonInfo {
  lesson: LessonFlow;
  section: Section;
  /** its number in the section's list, as typed */
  number: string;
  /** the menu number of its section */
  sectionNumber: string;
  path: Step[];
  /** index in `path` of the first question */
  firstQuestion: number;
  questions: number;
}

/** The first lesson of the first section that has a question followed by another step. */
export function firstLesson(): LessonInfo {
  for (const section of course().sections) {
    const page = section.pages[0] ?? [];
    for (const [i, flow] of page.entries()) {
      if (flow.kind !== 'lesson') continue;
      const path = stepPath(flow);
      const firstQuestion = path.findIndex((s) => s.type === 'question');
      if (firstQuestion < 0 || firstQuestion === path.length - 1) continue;
      return {
        lesson: flow,
        section,
        number: String(i + 1),
        sectionNumber: menuNumber('section', section.id),
        path,
        firstQuestion,
        questions: path.filter((s) => s.type === 'question').length,
      };
    }
  }
  throw new Error('no lesson with a question in the course');
}

/** What the learner types to answer a step right (any text moves a message step on). */
export function rightAnswer(step: Step): string {
  return step.type === 'question' ? String(step.answer) : '1';
}

/** A wrong answer to a question. */
export function wrongAnswer(step: Step): string {
  if (step.type !== 'question') throw new Error(`${step.id} is not a question`);
  return step.answer === 1 ? '2' : '1';
}

/** Texts in one language as sent on one channel. */
export function textsFor(lang: Language, channel: Channel) {
  const t = (key: string, vars?: Vars) => realContent().translator.t(lang, key, vars);
  const s = (key: string, vars?: Vars) => say(lang, channel, key, vars);
  const inFlow = (flow: AnyFlow, key: string) => s(qualifyKey(flow.id, key));
  return {
    t,
    s,
    /** a step's own text (the first line or lines of its message) */
    step: (flow: AnyFlow, step: Step) => inFlow(flow, step.text),
    title: (flow: AnyFlow) => inFlow(flow, flow.title),
    rawTitle: (flow: AnyFlow) => t(qualifyKey(flow.id, flow.title)),
    explanation: (flow: AnyFlow, step: Step) =>
      step.type === 'question' ? t(qualifyKey(flow.id, step.explanation)) : '',
    hint: (flow: AnyFlow, step: Step) =>
      step.type === 'question' && step.hint
        ? inFlow(flow, step.hint)
        : s('common:wrong', { hint: '' }).replace(/ {2,}/g, ' ').trim(),
    option: (flow: AnyFlow, step: Step, n: number) => {
      const key =
        step.type === 'question'
          ? step.options[n - 1]
          : step.type === 'rating'
            ? step.options[n - 1]?.text
            : '';
      return s('common:question_options', { number: n, option: t(qualifyKey(flow.id, key ?? '')) });
    },
    /** a section's line in the progress report */
    progressLine: (section: Section, done: number, right: number, questions: number) =>
      s('common:progress_section', {
        title: t(section.title),
        done,
        total: section.flows.filter((f) => f.kind === 'lesson').length,
        right,
        questions,
      }),
  };
}

/**
 * Whether a learner shown `turn` still has to send "1" to go on from the reading step `step`:
 * the turn ends on that step and its continue line. A reading step the engine sent together
 * with the steps after it (it reads ahead on WhatsApp, and on SMS while they fit one segment)
 * needs nothing.
 */
export function waitsAt(
  turn: { messages: string[] } | undefined,
  x: ReturnType<typeof textsFor>,
  flow: AnyFlow,
  step: Step,
): boolean {
  const last = turn?.messages.at(-1) ?? '';
  return step.type === 'message' && last.endsWith(`${x.step(flow, step)}\n${x.s('common:continue')}`);
}
