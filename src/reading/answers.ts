/**
 * Understanding a learner's answer to a numbered question.
 *
 * Learners on cheap phones answer however the keyboard lets them: "1", "1.", "1)", "1️⃣", "a",
 * "uno", "maya", "huk", the option's text, or "si"/"jisa" to a yes/no question. The parser is
 * generous about form and strict about meaning: anything it cannot map to exactly one option is
 * null, so the caller can ask again instead of recording a wrong answer.
 */
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import type { LanguageWords, Lexicon } from './lexicon.js';
import { matchKey, normalizeText } from './normalize.js';

export interface Choice {
  /** Options are numbered 1..count. */
  count: number;
  /** The options' texts, in order (labels[0] is option 1). */
  labels: readonly string[];
}

/**
 * Words people put before the number ("opción 2", "la 2", "nro 3"). Spanish and English only:
 * Aymara and Quechua speakers use the Spanish loan "opción" for this, and no native word was
 * found in CONTENT-SOURCES.md. The word must be followed by a space or a digit, so "opa" is not
 * read as "op" + "a".
 */
const PREFIX =
  /^(?:(?:el|la|lo)\s+)?(?:(?:opcion|opciones|option|opc|op|numero|number|nro|num)(?:\s+|(?=\d)))?/;

function stripPrefix(key: string): string {
  const stripped = key.replace(PREFIX, '');
  return stripped || key;
}

function inRange(n: number, count: number): number | null {
  return Number.isInteger(n) && n >= 1 && n <= count ? n : null;
}

/** The 1-based number a word stands for, or null when it is not a number word or is ambiguous. */
function numberWordIn(words: LanguageWords, key: string): number | null {
  const hits = words.numbers.flatMap((set, i) => (set.has(key) ? [i + 1] : []));
  return hits.length === 1 ? (hits[0] ?? null) : null;
}

/** The learner's own language decides first, so another locale cannot change what "una" means. */
function numberWord(key: string, language: Language, lexicon: Lexicon): number | null {
  return numberWordIn(lexicon.byLanguage[language], key) ?? numberWordIn(lexicon.all, key);
}

function uniqueIndex(indexes: readonly number[]): number | null {
  return indexes.length === 1 ? (indexes[0] ?? null) : null;
}

/** Options whose label is itself a yes word and a no word ("Sí" / "No", "Jisa" / "Jani"). */
function yesNoOptions(labelKeys: readonly string[], lexicon: Lexicon): { yes: number; no: number } | null {
  const indexesOf = (meaning: 'yes' | 'no'): number[] =>
    labelKeys.flatMap((key, i) => (lexicon.all.meanings[meaning].has(key) ? [i] : []));
  const yes = uniqueIndex(indexesOf('yes'));
  const no = uniqueIndex(indexesOf('no'));
  return yes !== null && no !== null && yes !== no ? { yes, no } : null;
}

function yesOrNo(key: string, language: Language, lexicon: Lexicon): 'yes' | 'no' | null {
  for (const words of [lexicon.byLanguage[language], lexicon.all]) {
    const yes = words.meanings.yes.has(key);
    const no = words.meanings.no.has(key);
    if (yes !== no) return yes ? 'yes' : 'no';
  }
  return null;
}

const LETTERS = /\p{L}/gu;
const MIN_LABEL_WORD_LETTERS = 3;

/** A single word that appears in exactly one option's label ("cooperativa" for "Una cooperativa"). */
function labelWordMatch(key: string, labelKeys: readonly string[]): number | null {
  if (key.includes(' ') || (key.match(LETTERS)?.length ?? 0) < MIN_LABEL_WORD_LETTERS) return null;
  const options = labelKeys.flatMap((label, i) => (label.split(' ').includes(key) ? [i] : []));
  return uniqueIndex(options);
}

/** Returns the 1-based option, or null when the answer is not understood. */
export function parseChoice(
  text: string,
  choice: Choice,
  language: Language,
  lexicon: Lexicon,
): number | null {
  const { count } = choice;
  const key = matchKey(text);
  if (!key || count < 1) return null;
  const bare = stripPrefix(key);

  if (/^\d+$/.test(bare)) return inRange(Number(bare), count);
  if (/^[a-z]$/.test(bare)) return inRange(bare.charCodeAt(0) - 'a'.charCodeAt(0) + 1, count);

  const labelKeys = choice.labels.slice(0, count).map(matchKey);
  const fullLabel = uniqueIndex(labelKeys.flatMap((label, i) => (label && label === key ? [i] : [])));
  if (fullLabel !== null) return fullLabel + 1;

  const yesNo = yesNoOptions(labelKeys, lexicon);
  if (yesNo) {
    const answer = yesOrNo(key, language, lexicon);
    if (answer) return yesNo[answer] + 1;
  }

  // A number word beyond count may still be a label's word ("tres" for "Tres personas"), so an
  // out-of-range number falls through instead of failing.
  const number = numberWord(bare, language, lexicon);
  if (number !== null && inRange(number, count) !== null) return number;

  const labelWord = labelWordMatch(key, labelKeys);
  return labelWord === null ? null : labelWord + 1;
}

/**
 * Names learners use for the three languages, in their own and in Spanish spelling variants.
 * Keys are normalized (no accents): "español" is "espanol".
 */
const LANGUAGE_NAMES: Readonly<Record<string, Language>> = {
  es: 'es',
  espanol: 'es',
  castellano: 'es',
  spanish: 'es',
  ay: 'ay',
  aymara: 'ay',
  aimara: 'ay',
  aymar: 'ay',
  'aymar aru': 'ay',
  'aymara aru': 'ay',
  qu: 'qu',
  quechua: 'qu',
  quichua: 'qu',
  qhichwa: 'qu',
  kichwa: 'qu',
  qheswa: 'qu',
  'runa simi': 'qu',
  'qhichwa simi': 'qu',
};

/**
 * Number words for 1..3 when no lexicon is at hand, so the welcome screen, shown before the
 * learner has a language, works even if a words file fails to load.
 */
const WELCOME_NUMBER_WORDS: Readonly<Record<string, number>> = {
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  maya: 1,
  ma: 1,
  paya: 2,
  pa: 2,
  kimsa: 3,
  huk: 1,
  iskay: 2,
};

/**
 * The welcome screen's answer. Its options are numbered in LANGUAGES order: 1 es, 2 ay, 3 qu,
 * so the welcome text must list them in that order.
 */
export function parseLanguageChoice(text: string, lexicon?: Lexicon): Language | null {
  const key = normalizeText(text);
  if (!key) return null;
  const named = LANGUAGE_NAMES[key];
  if (named) return named;
  const bare = stripPrefix(key);
  const number = /^\d+$/.test(bare)
    ? Number(bare)
    : (WELCOME_NUMBER_WORDS[bare] ?? (lexicon ? numberWordIn(lexicon.all, bare) : null));
  return number === null ? null : (LANGUAGES[number - 1] ?? null);
}
