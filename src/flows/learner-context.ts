/**
 * What the learner machine remembers between turns. It is saved as JSON in Redis after every
 * turn for every learner, so it stays small: short field names are documented here instead.
 */
import type { Language } from '../content/locale-schema.js';

/** Where a learner stands in a flow they have not finished. */
export interface Bookmark {
  /** step id */
  s: string;
  /** the step's position when it was saved, to resume near it if the step is removed */
  i: number;
  /** questions answered right at the first try so far */
  r: number;
}

export interface FeasibilityResult {
  /** percent per area id */
  areas: Record<string, number>;
  /** day it was taken, YYYY-MM-DD */
  on: string;
}

export interface LearnerContext {
  lang: Language | null;
  /** wrong answers given to the current question */
  tries: number;
  /** unfinished flows, by flow id */
  marks: Record<string, Bookmark>;
  /** finished lessons: [right at first try, questions] */
  done: Record<string, [number, number]>;
  /** the assessment in progress: points per step id */
  points: Record<string, number>;
  feasibility: FeasibilityResult | null;
  /** the completion code, once every lesson of the completion section is done */
  cert: { code: string; on: string } | null;
  /** figures typed into the money calculator, by input name (kept until typed again) */
  nums: Record<string, number>;
}

export function initialContext(): LearnerContext {
  return { lang: null, tries: 0, marks: {}, done: {}, points: {}, feasibility: null, cert: null, nums: {} };
}

/** The language a learner reads in: Spanish until they choose. */
export function langOf(context: LearnerContext): Language {
  return context.lang ?? 'es';
}

export type LearnerEvent =
  /**
   * A message from the learner. `resumed`: they come back after a long pause, or the flow
   * changed under them. `codeSeed`: a keyed hash of the learner (PersonIds.completionSeed), from
   * which their completion codes are made: without the server's secret, nobody can make one. A
   * function, called only by the message that earns a completion: the hash costs every turn more
   * than the rest of its reading.
   */
  | { type: 'TEXT'; text: string; now: number; resumed?: boolean; codeSeed?: () => string }
  | { type: 'MENU' }
  | { type: 'HELP' }
  | { type: 'LANGUAGE' };
