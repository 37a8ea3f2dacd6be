/**
 * One flow (a lesson or the assessment) as states: `resume` goes to the bookmarked step or starts
 * afresh, then one state per step, then `done`, which scores and leaves.
 */
import { nextStepOf, type AnyFlow, type Course } from '../course.js';
import { listAfter } from './lists.js';
import { stepTransitions } from './step-transitions.js';
import { say } from './transitions.js';

export function flowStates(course: Course, flow: AnyFlow) {
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
        step.type === 'calculation'
          ? say((context) => ({ kind: 'calculation', flow: flow.id, step: step.id, figures: context.nums }))
          : say({ kind: 'step', flow: flow.id, step: step.id }),
      ],
      on: { TEXT: stepTransitions(flow, step, nextStepOf(flow, index)) },
    };
  });
  states.done = doneState(course, flow);
  return { initial: 'resume', states };
}

/** A lesson ends on its list (or the completion), the assessment on its result and the menu. */
function doneState(course: Course, flow: AnyFlow): object {
  if (flow.kind === 'lesson') {
    const total = flow.steps.filter((s) => s.type === 'question').length;
    return {
      entry: [
        say((context) => ({
          kind: 'lessonDone',
          flow: flow.id,
          score: context.marks[flow.id]?.r ?? 0,
          total,
        })),
        { type: 'finishLesson', params: { flow: flow.id, total } },
      ],
      always: [
        { guard: 'earnsCompletion', target: '#learner.completed' },
        { target: listAfter(course, flow) },
      ],
    };
  }
  return {
    entry: [
      'finishAssessment',
      say((context) => ({ kind: 'feasibility', result: context.feasibility ?? { areas: {}, on: '' } })),
    ],
    always: '#learner.menu',
  };
}
