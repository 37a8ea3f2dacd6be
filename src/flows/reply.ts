/**
 * What the learner machine asks to say, as data. The machine stays free of wording and of
 * channels; src/replies/render-reply.ts turns these into text in the learner's language.
 */
import type { Language } from '../content/locale-schema.js';
import type { FeasibilityResult } from './learner-context.js';

export type Reply =
  /** the first greeting, one line in each language, before anyone has chosen one */
  | { kind: 'welcome' }
  /** a text from locales/<lang>/common.yaml */
  | { kind: 'text'; key: string; vars?: Record<string, string | number> }
  /**
   * a flow step: its text, and its options or the "send 1 to go on" hint. `joined`: the next step
   * follows in the same turn (the engine read ahead), so a message step goes without the hint.
   */
  | { kind: 'step'; flow: string; step: string; joined?: true }
  | { kind: 'right' | 'wrong' | 'reveal' | 'reprompt'; flow: string; step: string }
  | { kind: 'lessons'; section: string; page: number; done: string[] }
  | { kind: 'completed'; section: string; code: string }
  | { kind: 'lessonDone'; flow: string; score: number; total: number }
  | {
      kind: 'progress';
      done: Record<string, [number, number]>;
      feasibility: FeasibilityResult | null;
      cert: { code: string; on: string } | null;
    }
  | { kind: 'feasibility'; result: FeasibilityResult }
  /** a figure that could not be taken, and why; the step's min and max say what is allowed */
  | { kind: 'amountReprompt'; flow: string; step: string; problem: AmountProblem }
  /** the money calculation of the figures the learner typed */
  | { kind: 'calculation'; flow: string; step: string; figures: Record<string, number> }
  /** group quizzes */
  | { kind: 'quizStart'; group: string; flow: string; total: number }
  | { kind: 'quizResult'; flow: string; step: string; answered: number; members: number; right: number }
  | {
      kind: 'quizEnd';
      top: string;
      place: number;
      count: number;
      points: number;
      total: number;
      score: number;
    }
  | {
      kind: 'quizSummary';
      group: string;
      flow: string;
      participants: number;
      members: number;
      score: number;
      top: string;
    };

/** Why a typed figure was not taken: not a figure, below the step's min, above its max. */
export type AmountProblem = 'nan' | 'low' | 'high';

/** Parameters of the machine's `recordCompletion` action, carried out by the engine. */
export interface CompletionParams {
  section: string;
  code: string;
  on: string;
}

/** Parameters of the machine's `say` action. */
export interface SayParams {
  lang: Language;
  reply: Reply;
}
