/**
 * What a simulated learner sends to walk through real lessons, for the measurement scripts
 * (measure-turn.ts, bench/run.ts): the right answer to every question, '1' (go on) to the rest.
 */
import type { AnyFlow } from '../src/flows/course.js';

/** A greeting, Spanish, then the first section of the menu: the lesson list. */
export const TO_THE_LESSONS = ['hola', '1', '1'] as const;

/** Every step of a flow, in order. */
export function throughFlow(flow: AnyFlow): string[] {
  return flow.steps.map((step) => (step.type === 'question' ? String(step.answer) : '1'));
}

/** From the greeting to the end of the flow at `number` (as typed) in the lesson list. */
export function lessonScript(flow: AnyFlow, number: number): string[] {
  return [...TO_THE_LESSONS, String(number), ...throughFlow(flow)];
}
