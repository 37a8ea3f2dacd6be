import type { Language } from '../../content/locale-schema.js';

/** How the machine reads what learners type; src/reading/answer-reader.ts provides it. */
export interface AnswerReader {
  /** The option (1-based) the text picks among `optionKeys`, or null. */
  choice(text: string, optionKeys: string[], lang: Language): number | null;
  /** A numbered choice among `count` unlabelled items (menus, lists), or null. */
  number(text: string, count: number, lang: Language): number | null;
  language(text: string): Language | null;
  /** A figure the learner typed (bolivianos, units), or why it is not one. */
  amount(text: string): AmountReading;
}

export type AmountReading = { value: number } | { problem: 'nan' | 'negative' };
