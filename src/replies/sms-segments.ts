/**
 * The size of a text as one SMS, in one pass over it: for the replies of every turn, quiz and
 * broadcast. It agrees with sms-segments-calculator (tests/unit/sms-segments.test.ts checks it
 * on thousands of texts), which the content check and the console's counter keep using; that
 * library re-sums a segment each time it adds a character, and took most of an SMS turn's time.
 *
 * A text is GSM-7 when every character is in the GSM-7 basic or extension table (an extension
 * character takes two septets), otherwise UCS-2 (a UTF-16 code unit each, an emoji two). A single
 * SMS holds 140 octets: 160 septets or 70 code units. A longer text is split into segments that
 * each give 6 octets to the concatenation header (153 septets, 67 code units), and a character is
 * never split: an extension character or an emoji that does not fit starts the next segment.
 */
import GraphemeSplitter from 'grapheme-splitter';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsSize {
  encoding: SmsEncoding;
  /** septets in GSM-7, UTF-16 code units in UCS-2 */
  units: number;
  segments: number;
}

const GSM_BASIC =
  '\n\r !"#$%&\'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz' +
  '¡£¤¥§¿ÄÅÆÇÉÑÖØÜßàäåæèéìñòöøùüΓΔΘΛΞΠΣΦΨΩ';
const GSM_EXTENSION = '\f[\\]^{|}~€';

/** Septets per UTF-16 code unit: 1 or 2 in GSM-7, 0 for a code unit GSM-7 lacks. */
const SEPTETS = new Uint8Array(0x10000);
for (const c of GSM_BASIC) SEPTETS[c.charCodeAt(0)] = 1;
for (const c of GSM_EXTENSION) SEPTETS[c.charCodeAt(0)] = 2;

const SEGMENT_BITS = 140 * 8;
const HEADER_BITS = 6 * 8;
const SINGLE: Record<SmsEncoding, number> = { 'GSM-7': 160, 'UCS-2': 70 };

export function smsSize(text: string): SmsSize {
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const size = SEPTETS[text.charCodeAt(i)] ?? 0;
    if (size === 0) return ucs2Size(text);
    septets += size;
  }
  const segments = septets <= SINGLE['GSM-7'] ? 1 : countSegments(gsmBits(text));
  return { encoding: 'GSM-7', units: septets, segments };
}

/**
 * Whether the text goes out as one SMS. Every code unit takes at least one septet, so a text
 * longer than 160 code units never does and is not read: packing a turn's replies reads at most
 * 160 code units per try, however long the replies.
 */
export function fitsOneSms(text: string): boolean {
  return text.length <= SINGLE['GSM-7'] && smsSize(text).segments === 1;
}

function ucs2Size(text: string): SmsSize {
  const segments = text.length <= SINGLE['UCS-2'] ? 1 : countSegments(ucs2Bits(text));
  return { encoding: 'UCS-2', units: text.length, segments };
}

function* gsmBits(text: string): Iterable<number> {
  for (let i = 0; i < text.length; i++) yield 7 * (SEPTETS[text.charCodeAt(i)] ?? 0);
}

const graphemes = new GraphemeSplitter();

/**
 * In UCS-2 a grapheme (an emoji with its skin tone, a flag, a letter with its combining accent)
 * stays whole, as the library keeps it, with the library's own grapheme rules: the platform's
 * Intl.Segmenter follows a later Unicode and joins some emoji sequences it splits. Like the
 * library, a CR LF pair counts as two.
 */
function* ucs2Bits(text: string): Iterable<number> {
  for (const grapheme of graphemes.iterateGraphemes(text)) {
    if (grapheme === '\r\n') yield* [16, 16];
    else yield 16 * grapheme.length;
  }
}

/**
 * Fills segments in order as the library does: when a character does not fit, the next segment
 * starts with its header; the first segment only then gets its own header and hands on the
 * characters at its end that no longer fit.
 */
function countSegments(characterBits: Iterable<number>): number {
  let segments = 1;
  let used = 0;
  const first: number[] = [];
  for (const bits of characterBits) {
    if (SEGMENT_BITS - used < bits) {
      segments += 1;
      let handedOn = 0;
      if (segments === 2) {
        let firstUsed = HEADER_BITS + used;
        while (firstUsed > SEGMENT_BITS) {
          const last = first.pop() ?? 0;
          firstUsed -= last;
          handedOn += last;
        }
      }
      used = HEADER_BITS + handedOn;
    }
    if (segments === 1) first.push(bits);
    used += bits;
  }
  return segments;
}
