/** How a flow step reads an answer: right, wrong (with tries left), revealed, or not understood. */
import { and } from 'xstate';
import type { Step } from '../../content/flow-schema.js';
import { qualifyKey, type AnyFlow } from '../course.js';
import { backAfterPause, say, type Transition } from './transitions.js';

export function stepTransitions(flow: AnyFlow, step: Step, next: string): Transition[] {
  const at = { flow: flow.id, step: step.id };
  const welcomeBack = backAfterPause(step.id);
  const reprompt: Transition = { actions: [say({ kind: 'reprompt', ...at })] };
  if (step.type === 'message' || step.type === 'calculation') return [welcomeBack, { target: next }];
  if (step.type === 'number') {
    const range = { min: step.min, max: step.max };
    return [
      {
        guard: { type: 'isAmountIn', params: range },
        actions: [{ type: 'storeAmount', params: { name: step.store } }],
        target: next,
      },
      welcomeBack,
      ...(['low', 'high'] as const).map((problem): Transition => ({
        guard: { type: 'isAmountProblem', params: { ...range, problem } },
        actions: [say({ kind: 'amountReprompt', ...at, problem })],
      })),
      { actions: [say({ kind: 'amountReprompt', ...at, problem: 'nan' })] },
    ];
  }
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
