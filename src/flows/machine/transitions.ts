/**
 * What the state builders make their states of: `say` actions that carry Reply descriptors (the
 * machine never writes text), the numbered-choice guard, and the welcome back after a pause.
 */
import { langOf, type LearnerContext } from '../learner-context.js';
import type { Reply, SayParams } from '../reply.js';

// The states are generated from data, so their config is typed loosely here and checked as a
// whole where it is handed to createMachine; the names it uses are the ones declared in setup.ts.
export type Transition = { guard?: unknown; target?: string; reenter?: boolean; actions?: unknown[] };

export function say(reply: Reply | ((context: LearnerContext) => Reply)) {
  return {
    type: 'say' as const,
    params: ({ context }: { context: LearnerContext }): SayParams => ({
      lang: langOf(context),
      reply: typeof reply === 'function' ? reply(context) : reply,
    }),
  };
}

/** Says a text from locales/<lang>/common.yaml. */
export function text(key: string, vars?: Record<string, string | number>) {
  return say({ kind: 'text', key, vars });
}

/** The learner sent the number `n` of `count` numbered items. */
export function isNumber(count: number, n: number) {
  return { type: 'isNumber' as const, params: { count, n } };
}

/**
 * Back after a long pause (or the flow changed under them): show the state again rather than
 * read an old "hola" as an answer.
 */
export function backAfterPause(state: string): Transition {
  return { guard: 'isResumed', target: state, reenter: true, actions: [text('welcome_back')] };
}
