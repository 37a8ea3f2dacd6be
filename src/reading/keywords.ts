/**
 * Keywords that work at any point of a conversation (MENU, AYUDA, IDIOMA, BAJA, ALTA, BORRAR and
 * each language's own words from locales/<lang>/words.yaml).
 */
import type { Lexicon } from './lexicon.js';
import { matchKey } from './normalize.js';

/**
 * Checked in this order, so a word that two locales give different meanings resolves the same way
 * every time. Opting out comes first: failing to honour STOP is worse than an unwanted menu.
 */
export const KEYWORDS = ['stop', 'start', 'delete', 'help', 'language', 'menu'] as const;
export type Keyword = (typeof KEYWORDS)[number];

/**
 * Only a whole message is a keyword: "quiero el menu" is an answer or chatter, not MENU, so that
 * ordinary sentences never yank a learner out of a lesson or, worse, unsubscribe them.
 */
export function detectKeyword(text: string, lexicon: Lexicon): Keyword | null {
  const key = matchKey(text);
  if (!key) return null;
  return KEYWORDS.find((keyword) => lexicon.all.meanings[keyword].has(key)) ?? null;
}
