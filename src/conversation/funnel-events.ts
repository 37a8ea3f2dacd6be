/**
 * What a turn did that the funnel counts (where learners stop): a flow started, a step reached
 * going forward, a flow finished, a question answered at the first try (right, or which wrong
 * option). Read from the learner's place before and after the turn and from what the flow said;
 * pure. Resuming at a bookmark is not a new arrival at its step, so each step counts the
 * learners who walked into it.
 */
import type { Course } from '../flows/course.js';
import type { LearnerContext } from '../flows/learner-context.js';
import { qualifyKey } from '../flows/course.js';
import type { AnswerReader } from '../flows/machine/answer-reader.js';
import { whereStopped } from './nudge-policy.js';
import type { Next, Turn } from './turn.js';

/** One count: `start`, `reach:<step>`, `done`, `right:<step>`, `wrong:<step>:<option>`. */
export interface FunnelEvent {
  flow: string;
  event: string;
}

export function funnelEvents(turn: Turn, next: Next, course: Course, reader: AnswerReader): FunnelEvent[] {
  const events: FunnelEvent[] = [];
  const before = turn.record ? whereStopped(turn.record.snapshot.value, course) : null;
  const after = whereStopped(next.snapshot.value, course);
  if (after) {
    const stepId = after.flow.steps[after.step - 1]!.id;
    const sameFlow = before?.flow.id === after.flow.id;
    if (!sameFlow && after.step === 1) events.push({ flow: after.flow.id, event: 'start' });
    if ((!sameFlow && after.step === 1) || (sameFlow && after.step > before.step)) {
      events.push({ flow: after.flow.id, event: `reach:${stepId}` });
    }
  }
  const triesBefore = (turn.record?.snapshot.context as LearnerContext | undefined)?.tries ?? 0;
  for (const { reply } of next.said) {
    if (reply.kind === 'lessonDone') events.push({ flow: reply.flow, event: 'done' });
    if (reply.kind === 'feasibility') events.push({ flow: course.assessment.id, event: 'done' });
    if ((reply.kind === 'right' || reply.kind === 'wrong' || reply.kind === 'reveal') && triesBefore === 0) {
      events.push(firstTry(reply.kind, reply.flow, reply.step, turn, course, reader));
    }
  }
  return events;
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
