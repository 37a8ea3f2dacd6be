/**
 * Normalising what learners type, so that "Sí!!", "SI 👍" and " si " compare equal.
 *
 * The result is for comparison only: it is never shown back to anyone, which is why it can drop
 * accents and diacritics that matter when writing (á, ñ, Aymara ä ï ü).
 */

/**
 * Typographic apostrophes phones insert instead of ASCII '. Mapped before NFKC because NFKC turns
 * the acute accent ´ into a space plus a combining mark, which would then be stripped and split
 * "k´ita" into two words.
 */
const APOSTROPHES = /[\u2019\u2018\u201B\u02BC\u00B4\u0060\u2032]/g;

/** Keycap emoji: a digit, # or *, an optional variation selector, then the enclosing keycap. */
const KEYCAP = /([0-9#*])\uFE0F?\u20E3/g;
/** 🔟 is a single code point, not a keycap sequence. */
const KEYCAP_TEN = /\u{1F51F}/gu;

const COMBINING_MARKS = /\p{M}+/gu;

/**
 * Anything that is not a letter, a digit, whitespace or ' becomes a space: this removes emoji,
 * punctuation and symbols in one go, and splits "si,claro" into two words instead of gluing them.
 */
const NOT_WORDLIKE = /[^\p{L}\p{N}\s']+/gu;

/**
 * The ejective apostrophe (Aymara and Quechua k'ita, ch'uspa) only ever sits between letters; an
 * apostrophe anywhere else is quoting or a typo.
 */
const STRAY_APOSTROPHE = /(?<!\p{L})'|'(?!\p{L})/gu;

export function normalizeText(raw: string): string {
  return raw
    .replace(APOSTROPHES, "'")
    .normalize('NFKC')
    .toLowerCase()
    .replace(KEYCAP, '$1')
    .replace(KEYCAP_TEN, '10')
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(NOT_WORDLIKE, ' ')
    .replace(STRAY_APOSTROPHE, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A comparison key for messages that are only symbols ("?", "👍"), which normalizeText reduces to
 * "". Words files may list such entries (help: ['?']), so they need a key of their own. Repeats
 * collapse ("???" is "?"), Spanish opening marks are dropped ("¿?" is "?") and so are emoji skin
 * tones ("👍🏽" is "👍").
 */
export function symbolKey(raw: string): string {
  const chars = Array.from(
    raw
      .replace(APOSTROPHES, "'")
      .normalize('NFKC')
      .replace(/[\s\uFE0F¿¡]|\p{Emoji_Modifier}/gu, ''),
  );
  return chars.filter((char, i) => char !== chars[i - 1]).join('');
}

/**
 * The key a message or a words-file entry is looked up by: its normalized text, or its symbol key
 * when it has no letters or digits at all.
 */
export function matchKey(raw: string): string {
  return normalizeText(raw) || symbolKey(raw);
}
