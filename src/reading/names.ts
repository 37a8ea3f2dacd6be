/**
 * Names people give: a group's (GRUPO by SMS, the console, POST /api/groups) and a coordinator's
 * (POST /api/coordinators, the console). They are shown to other people in messages and pages,
 * so every entry point, and the stores themselves, clean them with this one function:
 * - printable characters only: no control characters (U+0000–U+001F, U+007F–U+009F), no format
 *   characters (bidirectional overrides and isolates U+202A–U+202E, U+2066–U+2069, marks such as
 *   U+200E, zero-width spaces and joiners U+200B–U+200D, U+FEFF), no private-use characters, no
 *   lone surrogates, no noncharacters;
 * - runs of white space (line breaks included) become one space, and the ends are trimmed;
 * - at most NAME_MAX characters, cut between whole characters (never half an emoji or a letter
 *   without its accent).
 * A name that is nothing once cleaned is '': the caller answers that a name is needed.
 */

/** Names are shown in messages: longer ones would cost learners a second SMS segment. */
export const NAME_MAX = 40;

/** Invisible: format (bidi, zero-width), private-use, lone surrogates, noncharacters. */
const INVISIBLE = /[\p{Cf}\p{Co}\p{Cs}\p{Noncharacter_Code_Point}]/gu;
/** Control characters left once white space (tabs, line breaks) has become spaces. */
const CONTROL = /\p{Cc}/gu;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

export function cleanName(raw: string): string {
  return cleanText(raw, NAME_MAX);
}

/** The same cleaning for any short text people send to be shown to others, at most `max` long. */
export function cleanText(raw: string, max: number): string {
  const printable = raw
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .replace(CONTROL, '')
    .replace(/ {2,}/g, ' ')
    // Last, so that a letter and an accent brought together by what was taken out are composed.
    .normalize('NFC')
    .trim();
  return capLength(printable, max).trim();
}

/** The longest run of whole graphemes from the start that holds at most `max` code points. */
function capLength(text: string, max: number): string {
  if (Array.from(text).length <= max) return text;
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    const size = Array.from(segment).length;
    if (count + size > max) break;
    kept += segment;
    count += size;
  }
  return kept;
}
