/**
 * `CORREGIR <how they would say it>`: a learner points at the text they last received and says
 * how they would write it. The command word comes from locales/<lang>/words.yaml (`correct`);
 * the suggestion is cleaned like a name (no control or invisible characters, one line) and cut
 * to SUGGESTION_MAX characters, since a reviewer reads it beside the text.
 */
import type { Lexicon } from './lexicon.js';
import { cleanText } from './names.js';
import { matchKey } from './normalize.js';

/** Long enough for any one message of the course, short enough to read in a spreadsheet cell. */
export const SUGGESTION_MAX = 320;

/** The suggestion, '' for the command word alone, or null when the message is not one. */
export function parseSuggestion(text: string, lexicon: Lexicon): string | null {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const head = space < 0 ? trimmed : trimmed.slice(0, space);
  if (!lexicon.all.meanings.correct.has(matchKey(head))) return null;
  return space < 0 ? '' : cleanText(trimmed.slice(space), SUGGESTION_MAX);
}
