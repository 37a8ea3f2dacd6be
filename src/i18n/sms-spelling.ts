/**
 * How a text is spelled for the channel it goes out on.
 *
 * SMS is paid per segment. One character outside GSM-7 turns the whole message into UCS-2, which
 * cuts a segment from 160 to 70 characters (153 to 67 when split), so a single "ó" can double or
 * triple the price of a lesson. On SMS we therefore respell the few characters each language needs
 * that GSM-7 lacks. WhatsApp is not charged per character, so it keeps the full spelling.
 *
 * GSM-7 already has ñ Ñ ü Ü ä Ä ö é É à è ì ò ù ¿ ¡ and the ASCII apostrophe: those stay on SMS.
 * It lacks á í ó ú Á Í Ó Ú ï Ï and the typographic apostrophes (see CONTENT-SOURCES.md).
 */
import { SegmentedMessage } from 'sms-segments-calculator';
import type { Language } from '../content/locale-schema.js';

export type Channel = 'sms' | 'whatsapp';

/** Replacements: each key (a character or string) is replaced by its value. */
export type Replacements = Readonly<Record<string, string>>;

export interface SpellingPolicy {
  /**
   * Applied on every channel. The ejective apostrophe of Aymara and Quechua (k'ita) must be one
   * character everywhere, or the same word would look different from one message to the next and
   * the ’ form would force UCS-2 on SMS.
   */
  readonly everyChannel: Replacements;
  /** Applied on SMS only, after everyChannel. */
  readonly sms: Readonly<Record<Language, Replacements>>;
  /**
   * Aymara long ï on SMS: 'plain' writes i (the length mark is lost), 'double' writes ii (longer,
   * but the vowel length stays visible). Overrides ï and Ï in sms.ay.
   */
  readonly aymaraLongI: 'plain' | 'double';
}

/** Punctuation typed or pasted from word processors that has a GSM-7 look-alike. */
const SMS_PUNCTUATION: Replacements = {
  '«': '"',
  '»': '"',
  '…': '...',
  '–': '-',
  '—': '-',
  '\u00A0': ' ',
};

/**
 * é and É are in GSM-7, so they stay even though á í ó ú lose their accent: the rule is "keep
 * every letter GSM-7 can carry", not "strip all accents".
 */
const SPANISH_ACUTES: Replacements = {
  á: 'a',
  í: 'i',
  ó: 'o',
  ú: 'u',
  Á: 'A',
  Í: 'I',
  Ó: 'O',
  Ú: 'U',
};

export const DEFAULT_SPELLING_POLICY: SpellingPolicy = {
  everyChannel: {
    '\u2019': "'", // ’
    '\u2018': "'", // ‘
    '\u201B': "'", // ‛
    '\u02BC': "'", // ʼ modifier letter apostrophe, the "correct" Unicode ejective mark
    '\u00B4': "'", // ´
    '\u201C': '"', // “
    '\u201D': '"', // ”
    '\u201E': '"', // „
  },
  sms: {
    es: { ...SMS_PUNCTUATION, ...SPANISH_ACUTES },
    // Decision: the Aymara long vowel ï loses its mark on SMS (ï → i), because ï is not GSM-7 and
    // would make every message containing it UCS-2. ä and ü are GSM-7 and keep theirs, so only i
    // is affected. Set aymaraLongI: 'double' to write ii instead and keep the length visible.
    // Spanish loans in Aymara text carry á í ó ú too, so they get the Spanish treatment.
    ay: { ...SMS_PUNCTUATION, ...SPANISH_ACUTES, ï: 'i', Ï: 'I' },
    // Bolivian Quechua uses no letters outside GSM-7 besides the accents of Spanish loans.
    qu: { ...SMS_PUNCTUATION, ...SPANISH_ACUTES },
  },
  aymaraLongI: 'plain',
};

/** Capital Ï occurs in practice in all-caps headings, hence II rather than Ii. */
const AYMARA_DOUBLE_I: Replacements = { ï: 'ii', Ï: 'II' };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Every reply goes through here: build each policy's pattern once, not on every message.
const patterns = new WeakMap<Replacements, RegExp | null>();

function patternOf(replacements: Replacements): RegExp | null {
  let pattern = patterns.get(replacements);
  if (pattern === undefined) {
    // Longest keys first, so a multi-character key wins over a single character it starts with.
    const keys = Object.keys(replacements).sort((a, b) => b.length - a.length);
    pattern = keys.length ? new RegExp(keys.map(escapeRegExp).join('|'), 'gu') : null;
    patterns.set(replacements, pattern);
  }
  return pattern;
}

function applyReplacements(text: string, replacements: Replacements): string {
  const pattern = patternOf(replacements);
  return pattern ? text.replace(pattern, (match) => replacements[match] ?? match) : text;
}

const doubledAymara = new WeakMap<SpellingPolicy, Replacements>();

function smsReplacements(language: Language, policy: SpellingPolicy): Replacements {
  const base = policy.sms[language];
  if (language !== 'ay' || policy.aymaraLongI !== 'double') return base;
  let doubled = doubledAymara.get(policy);
  if (!doubled) {
    doubled = { ...base, ...AYMARA_DOUBLE_I };
    doubledAymara.set(policy, doubled);
  }
  return doubled;
}

export function spellForChannel(
  text: string,
  language: Language,
  channel: Channel,
  policy: SpellingPolicy = DEFAULT_SPELLING_POLICY,
): string {
  // Composed form first: a decomposed "o" + combining acute would slip past the "ó" replacement
  // and still force UCS-2 through its combining mark.
  const composed = applyReplacements(text.normalize('NFC'), policy.everyChannel);
  return channel === 'sms' ? applyReplacements(composed, smsReplacements(language, policy)) : composed;
}

export interface SegmentInfo {
  /** Number of SMS segments the text is billed as. */
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  /** The distinct characters that forced UCS-2, in order of first appearance. */
  nonGsm: string[];
}

/**
 * Measures the text as sent, without emulating Twilio's Smart Encoding, so a count here is never
 * lower than the bill. The calculator lists every occurrence of a non-GSM character; distinct
 * ones are what a content report needs.
 */
export function segmentInfo(text: string): SegmentInfo {
  const message = new SegmentedMessage(text);
  return {
    segments: message.segmentsCount,
    encoding: message.encodingName,
    nonGsm: [...new Set(message.getNonGsmCharacters())],
  };
}
