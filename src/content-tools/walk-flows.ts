/**
 * Proves with the compiled machine itself that a learner can reach every step of every flow and
 * finish it: it walks each flow from its first step, answering each step, until the flow ends.
 * Every answer of a step leads to the same next step, so one walk covers every path.
 */
import { transition } from '../flows/machine/pure-transition.js';
import type { LearnerMachine } from '../flows/compile-machine.js';
import type { Course } from '../flows/course.js';
import { initialContext } from '../flows/learner-context.js';
import type { ContentProblem } from '../content/load-content.js';

export function walkFlows(
  course: Course,
  machine: LearnerMachine,
  fileOf: (flowId: string) => string,
): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const flow of [...course.lessons, course.assessment]) {
    const first = flow.steps[0];
    if (!first) continue;
    const visited = new Set<string>();
    let snapshot = machine.resolveState({
      value: { flow: { [flow.id]: first.id } },
      context: { ...initialContext(), lang: 'es', marks: { [flow.id]: { s: first.id, i: 0, r: 0 } } },
    });
    let finished = false;
    // A flow that has not ended after visiting each step twice is going round in a circle.
    for (let turn = 0; turn <= flow.steps.length * 2 && !finished; turn++) {
      const value = snapshot.value as { flow?: Record<string, string> };
      const stepId = value.flow?.[flow.id];
      if (!stepId) {
        finished = true;
        break;
      }
      visited.add(stepId);
      const step = flow.steps.find((s) => s.id === stepId);
      const answer =
        step?.type === 'question' ? String(step.answer) : step?.type === 'number' ? String(step.min) : '1';
      [snapshot] = transition(machine, snapshot, {
        type: 'TEXT',
        text: answer,
        now: 0,
        codeSeed: () => 'walk',
      });
    }
    const file = fileOf(flow.id);
    if (!finished) {
      problems.push({
        file,
        key: 'steps',
        message: 'the flow cannot be finished: its steps lead round in a circle',
      });
    }
    flow.steps.forEach((step, i) => {
      if (!visited.has(step.id)) {
        problems.push({
          file,
          key: `steps.${i}(${step.id})`,
          message: 'no step leads here: a learner can never reach it',
        });
      }
    });
  }
  return problems;
}
