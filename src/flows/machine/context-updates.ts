/**
 * How the machine's actions change what a learner's context remembers, as plain functions of the
 * context: setup.ts names each one as an XState action.
 */
import type { AssessmentFlow } from '../../content/flow-schema.js';
import { completionCode } from '../completion-code.js';
import type { LearnerContext } from '../learner-context.js';
import { scoreAssessment } from '../score-assessment.js';

type Update = Partial<LearnerContext>;

/** Bookmarks the step the learner reached; the count of first-try answers carries on. */
export function bookmark(
  context: LearnerContext,
  { flow, step, index }: { flow: string; step: string; index: number },
): Update {
  const previous = context.marks[flow];
  return { tries: 0, marks: { ...context.marks, [flow]: { s: step, i: index, r: previous?.r ?? 0 } } };
}

/** A flow started from its first step; the assessment also forgets the points of a former try. */
export function startFlow(context: LearnerContext, flow: string, assessment: string): Update {
  const { [flow]: _dropped, ...marks } = context.marks;
  return { tries: 0, marks, points: flow === assessment ? {} : context.points };
}

/** A right answer counts only at the first try. */
export function countRight(context: LearnerContext, flow: string): Update {
  const mark = context.marks[flow];
  if (!mark || context.tries > 0) return {};
  return { marks: { ...context.marks, [flow]: { ...mark, r: mark.r + 1 } } };
}

export function finishLesson(context: LearnerContext, flow: string, total: number): Update {
  const { [flow]: mark, ...marks } = context.marks;
  return { marks, done: { ...context.done, [flow]: [mark?.r ?? 0, total] } };
}

export function finishAssessment(context: LearnerContext, assessment: AssessmentFlow, day: string): Update {
  const { [assessment.id]: _mark, ...marks } = context.marks;
  return { marks, points: {}, feasibility: { areas: scoreAssessment(assessment, context.points), on: day } };
}

export function award(codeSeed: string, section: string, day: string): Update {
  return { cert: { code: completionCode(codeSeed, section), on: day } };
}
