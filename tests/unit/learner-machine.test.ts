// The compiled learner machine as a pure function: (snapshot, event) -> (snapshot, replies).
// Assertions are on states and reply descriptors, not on wording, so content edits leave them be.
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { LearnerEvent } from '../../src/flows/learner-context.js';
import type { SayParams } from '../../src/flows/reply.js';
import { WRONG_ANSWERS_BEFORE_REVEAL } from '../../src/flows/compile-machine.js';
import { realContent } from '../support/content.js';

const { machine, course } = realContent();
type Snapshot = ReturnType<typeof machine.resolveState>;

const text = (t: string): LearnerEvent => ({
  type: 'TEXT',
  text: t,
  now: Date.parse('2026-03-02T13:00:00Z'),
});

/** Sends events one by one, saving and restoring the snapshot as JSON between each. */
function walk(...events: LearnerEvent[]) {
  let [snapshot, actions] = initialTransition(machine);
  let said = saysOf(actions);
  for (const event of events) {
    const stored = JSON.parse(
      JSON.stringify({ value: snapshot.value, context: snapshot.context }),
    ) as Parameters<typeof machine.resolveState>[0];
    [snapshot, actions] = transition(machine, machine.resolveState(stored), event);
    said = saysOf(actions);
  }
  return { snapshot, said };
}

function saysOf(actions: { type: string; params?: unknown }[]): SayParams[] {
  return actions.filter((a) => a.type === 'say').map((a) => a.params as SayParams);
}

const lesson = course.lessons[0]!;
const firstQuestion = lesson.steps.findIndex((s) => s.type === 'question');
const question = lesson.steps[firstQuestion]!;
if (question.type !== 'question') throw new Error('lesson 1 needs a question');
const wrong = String(question.answer === 1 ? 2 : 1);
const toLesson = [text('hola'), text('1'), text('1'), text('1')];
const toQuestion = [...toLesson, ...Array.from({ length: firstQuestion }, () => text('1'))];

describe('the learner machine', () => {
  it('starts with the welcome and the language choice', () => {
    const { snapshot, said } = walk();
    expect(snapshot.value).toBe('welcome');
    expect(said.map((s) => s.reply.kind)).toEqual(['welcome', 'text']);
  });

  it('stays on the welcome until a language is chosen', () => {
    expect(walk(text('7')).snapshot.value).toBe('welcome');
  });

  it('sets the language and shows the menu in it', () => {
    const { snapshot, said } = walk(text('hola'), text('2'));
    expect(snapshot.value).toBe('menu');
    expect(snapshot.context.lang).toBe('ay');
    expect(said).toEqual([{ lang: 'ay', reply: { kind: 'text', key: 'menu' } }]);
  });

  it('re-prompts an unknown language choice and stays', () => {
    const { snapshot, said } = walk(text('hola'), text('9'));
    expect(snapshot.value).toBe('welcome');
    expect(said[0]!.reply).toEqual({ kind: 'text', key: 'reprompt.language' });
  });

  it('enters the first lesson at its first step and bookmarks it', () => {
    const { snapshot, said } = walk(...toLesson);
    expect(snapshot.value).toEqual({ flow: { [lesson.id]: lesson.steps[0]!.id } });
    expect(snapshot.context.marks[lesson.id]).toEqual({ s: lesson.steps[0]!.id, i: 0, r: 0 });
    expect(said.map((s) => s.reply)).toEqual([{ kind: 'step', flow: lesson.id, step: lesson.steps[0]!.id }]);
  });

  it('keeps a learner on a question after a wrong answer, counting the try', () => {
    const { snapshot, said } = walk(...toQuestion, text(wrong));
    expect(snapshot.value).toEqual({ flow: { [lesson.id]: question.id } });
    expect(snapshot.context.tries).toBe(1);
    expect(said.map((s) => s.reply.kind)).toEqual(['wrong']);
  });

  it('reveals the answer and moves on after too many wrong answers, scoring nothing', () => {
    const wrongs = Array.from({ length: WRONG_ANSWERS_BEFORE_REVEAL }, () => text(wrong));
    const { snapshot, said } = walk(...toQuestion, ...wrongs);
    expect(said.map((s) => s.reply.kind)).toEqual(['reveal', 'step']);
    expect(snapshot.context.marks[lesson.id]!.r).toBe(0);
  });

  it('scores a right answer at the first try and shows the next step', () => {
    const { snapshot, said } = walk(...toQuestion, text(String(question.answer)));
    expect(said.map((s) => s.reply.kind)).toEqual(['right', 'step']);
    expect(snapshot.context.marks[lesson.id]!.r).toBe(1);
    expect(snapshot.context.tries).toBe(0);
  });

  it('re-prompts what it cannot read without counting a wrong try', () => {
    const { snapshot, said } = walk(...toQuestion, text('banana'));
    expect(said.map((s) => s.reply.kind)).toEqual(['reprompt']);
    expect(snapshot.context.tries).toBe(0);
  });

  it('shows the step again, not a re-prompt, to a learner back after a pause', () => {
    const { said } = walk(...toQuestion, { ...text('hola'), resumed: true } as LearnerEvent);
    expect(said.map((s) => s.reply)).toEqual([
      { kind: 'text', key: 'welcome_back' },
      { kind: 'step', flow: lesson.id, step: question.id },
    ]);
  });

  it('resumes a lesson left through MENU at the bookmarked step', () => {
    const { snapshot } = walk(...toQuestion, { type: 'MENU' }, text('1'), text('1'));
    expect(snapshot.value).toEqual({ flow: { [lesson.id]: question.id } });
  });

  it('keeps progress when the language changes', () => {
    const { snapshot } = walk(...toQuestion, { type: 'LANGUAGE' }, text('3'));
    expect(snapshot.value).toBe('menu');
    expect(snapshot.context.lang).toBe('qu');
    expect(snapshot.context.marks[lesson.id]!.s).toBe(question.id);
  });

  it('answers HELP in place without leaving the step', () => {
    const { snapshot, said } = walk(...toQuestion, { type: 'HELP' });
    expect(snapshot.value).toEqual({ flow: { [lesson.id]: question.id } });
    expect(said.map((s) => s.reply)).toEqual([{ kind: 'text', key: 'help' }]);
  });

  it('records a finished lesson with its score and offers the lessons again', () => {
    const answers = lesson.steps.map((s) => text(s.type === 'question' ? String(s.answer) : '1'));
    const { snapshot, said } = walk(...toLesson, ...answers);
    expect(snapshot.value).toEqual({ list: { 'think-coop': 'p1' } });
    const questions = lesson.steps.filter((s) => s.type === 'question').length;
    expect(snapshot.context.done[lesson.id]).toEqual([questions, questions]);
    expect(snapshot.context.marks[lesson.id]).toBeUndefined();
    expect(said.map((s) => s.reply.kind)).toEqual(['lessonDone', 'lessons']);
  });

  it('scores the feasibility check per area and stores the day it was taken', () => {
    const steps = course.assessment.steps;
    // Best answer everywhere but the first rating, where the worst.
    const answers = steps.map((s, i) =>
      text(s.type === 'rating' ? (i === 1 ? String(s.options.length) : '1') : '1'),
    );
    const { snapshot, said } = walk(text('hola'), text('1'), text('2'), ...answers);
    expect(snapshot.value).toBe('menu');
    const firstArea = steps.find((s) => s.type === 'rating')!;
    if (firstArea.type !== 'rating') throw new Error('unreachable');
    expect(snapshot.context.feasibility!.on).toBe('2026-03-02');
    expect(snapshot.context.feasibility!.areas[firstArea.area]).toBeLessThan(100);
    const others = course.assessment.areas.filter((a) => a.id !== firstArea.area);
    for (const area of others) expect(snapshot.context.feasibility!.areas[area.id]).toBe(100);
    expect(snapshot.context.points).toEqual({});
    expect(said.map((s) => s.reply.kind)).toEqual(['feasibility', 'text']);
  });

  it('names every action and guard, so snapshots are plain JSON', () => {
    const { snapshot } = walk(...toQuestion, text(wrong));
    const stored = JSON.stringify({
      value: snapshot.value,
      context: snapshot.context,
    } satisfies Partial<Snapshot>);
    expect(JSON.parse(stored)).toEqual({ value: snapshot.value, context: snapshot.context });
    expect(stored).not.toMatch(/function|=>/);
  });
});
