/**
 * What a turn did that the funnel counts (where learners stop): a flow started, a step reached
 * going forward, a flow finished, a question answered at the first try (right, or which wrong
 * option). Read from the learner's place before and after the turn and from what the flow said;
 * pure. Resuming at a bookmark is not a new arrival at its step, so each step counts the
 * learners who walked into it; a turn that read ahead over several steps reached each of them.
 */
import type { Course } from '../flows/course.js';
import type { LearnerContext } from '../flows/learner-context.js';
import { qualifyKey } from '../flows/course.js';
import type { AnswerReader } from '../flows/machine/answer-reader.js';
import { whereStopped, type StoppedAt } from './nudge-policy.js';
import type { Next, Turn } from './turn.js';

/** One count: `start`, `reach:<step>`, `done`, `right:<step>`, `wrong:<step>:<option>`. */
export interface FunnelEvent {
  flow: string;
  event: string;
}

/** `after`: where the learner stands after the turn (whereStopped). */
export function funnelEvents(
  turn: Turn,
  next: Next,
  after: StoppedAt | null,
  course: Course,
  reader: AnswerReader,
): FunnelEvent[] {
  const contextBefore = turn.record?.snapshot.context as LearnerContext | undefined;
  const events = arrivals(turn, next, after, course, contextBefore);
  const triesBefore = contextBefore?.tries ?? 0;
  for (const { reply } of next.said) {
    if (reply.kind === 'lessonDone') events.push({ flow: reply.flow, event: 'done' });
    if (reply.kind === 'feasibility') events.push({ flow: course.assessment.id, event: 'done' });
    if ((reply.kind === 'right' || reply.kind === 'wrong' || reply.kind === 'reveal') && triesBefore === 0) {
      events.push(firstTry(reply.kind, reply.flow, reply.step, turn, course, reader));
    }
  }
  return events;
}

/**
 * A flow started and the steps reached going forward. Reading ahead (WhatsApp) shows several
 * steps in one turn, and a turn that finishes a flow may show its last steps on the way out:
 * each of them is reached.
 */
function arrivals(
  turn: Turn,
  next: Next,
  after: StoppedAt | null,
  course: Course,
  contextBefore?: LearnerContext,
): FunnelEvent[] {
  const events: FunnelEvent[] = [];
  const reach = (flow: StoppedAt['flow'], from: number, to: number) => {
    for (let step = from; step <= to; step++) {
      events.push({ flow: flow.id, event: `reach:${flow.steps[step - 1]!.id}` });
    }
  };
  const before = turn.record ? whereStopped(turn.record.snapshot.value, course) : null;
  if (before && finishes(next, before.flow.id, course)) reach(before.flow, before.step + 1, before.steps);
  if (!after) return events;
  const sameFlow = before?.flow.id === after.flow.id;
  // Entering a flow with a bookmark is a resume: the steps up to the bookmark were reached then.
  const mark = sameFlow ? undefined : contextBefore?.marks?.[after.flow.id];
  if (!sameFlow && !mark) events.push({ flow: after.flow.id, event: 'start' });
  reach(after.flow, (sameFlow ? before.step : mark ? mark.i + 1 : 0) + 1, after.step);
  return events;
}

/** Whether the turn finished the flow (a lesson, or the feasibility check). */
function finishes(next: Next, flowId: string, course: Course): boolean {
  return next.said.some(
    ({ reply }) =>
      (reply.kind === 'lessonDone' && reply.flow === flowId) ||
      (reply.kind === 'feasibility' && flowId === course.assessment.id),
  );
}

/** A question's first answer: right, or the wrong option the learner chose. */
function firstTry(
  kind: 'right' | 'wrong' | 'reveal',
  flowId: string,
  stepId: string,
  turn: Turn,
  course: Course,
  reader: AnswerReader,
): FunnelEvent {
  if (kind === 'right') return { flow: flowId, event: `right:${stepId}` };
  const step = course.flow(flowId)?.steps.find((s) => s.id === stepId);
  const keys = step?.type === 'question' ? step.options.map((key) => qualifyKey(flowId, key)) : [];
  const option = reader.choice(turn.message.body, keys, turn.lang) ?? 0;
  return { flow: flowId, event: `wrong:${stepId}:${option}` };
}
