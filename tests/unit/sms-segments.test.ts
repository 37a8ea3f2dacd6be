// The fast SMS counter against sms-segments-calculator, which the content check and the console
// keep using: the same encoding and the same number of segments, whatever the text.
import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { fitsOneSms, smsSize } from '../../src/replies/sms-segments.js';

function library(text: string) {
  const message = new SegmentedMessage(text);
  return {
    encoding: message.encodingName,
    // septets in GSM-7; in UCS-2 the library counts graphemes, and its code units are UTF-16's
    units: message.encodingName === 'GSM-7' ? message.numberOfCharacters : text.length,
    segments: message.segmentsCount,
  };
}

function expectAgreement(text: string) {
  expect(smsSize(text), JSON.stringify(text)).toEqual(library(text));
  expect(fitsOneSms(text), JSON.stringify(text)).toBe(library(text).segments === 1);
}

describe('smsSize', () => {
  it('reads every UTF-16 code unit as the library does: GSM-7 basic, extension, or not GSM-7', () => {
    for (let code = 0; code <= 0xffff; code++) {
      const text = String.fromCharCode(code);
      const mine = smsSize(text);
      const theirs = library(text);
      if (mine.encoding !== theirs.encoding || mine.units !== theirs.units) {
        expect(mine, `U+${code.toString(16)}`).toEqual(theirs);
      }
    }
  });

  it.each([
    ['160 septets', 'a'.repeat(160), { encoding: 'GSM-7', units: 160, segments: 1 }],
    ['161 septets', 'a'.repeat(161), { encoding: 'GSM-7', units: 161, segments: 2 }],
    ['2 × 153 septets', 'a'.repeat(306), { encoding: 'GSM-7', units: 306, segments: 2 }],
    ['2 × 153 + 1 septets', 'a'.repeat(307), { encoding: 'GSM-7', units: 307, segments: 3 }],
    [
      'an extension character that fits in 160',
      `${'a'.repeat(158)}€`,
      { encoding: 'GSM-7', units: 160, segments: 1 },
    ],
    ['an extension character at 161', `${'a'.repeat(159)}€`, { encoding: 'GSM-7', units: 161, segments: 2 }],
    // 152 + 2 septets would be 154: the € starts the second segment rather than being split
    [
      'an extension character across 153',
      `${'a'.repeat(152)}€${'a'.repeat(152)}`,
      { encoding: 'GSM-7', units: 306, segments: 3 },
    ],
    ['70 code units', 'ó'.repeat(70), { encoding: 'UCS-2', units: 70, segments: 1 }],
    ['71 code units', 'ó'.repeat(71), { encoding: 'UCS-2', units: 71, segments: 2 }],
    ['an emoji in the 70th code unit', `${'ó'.repeat(69)}😀`, { encoding: 'UCS-2', units: 71, segments: 2 }],
    // 66 + 2 code units would be 68: the emoji starts the second segment rather than being split
    [
      'an emoji across 67',
      `${'ó'.repeat(66)}😀${'ó'.repeat(66)}`,
      { encoding: 'UCS-2', units: 134, segments: 3 },
    ],
    [
      'a flag across 67',
      `${'ó'.repeat(65)}🇧🇴${'ó'.repeat(66)}`,
      { encoding: 'UCS-2', units: 135, segments: 3 },
    ],
    ['an empty text', '', { encoding: 'GSM-7', units: 0, segments: 1 }],
  ])('%s', (_what, text, expected) => {
    expect(smsSize(text)).toEqual(expected);
    expectAgreement(text);
  });
});

const GSM_WORDS = [
  'Kamisaki',
  'cooperativa',
  'socios',
  'Yupaychayki',
  "llamk'ay",
  'mä',
  'pä',
  'jisa',
  'ñanqha',
  'niño',
  'pingüino',
  'café',
  '¿Qué?',
  '¡Sí!',
  '1',
  '2',
  '3',
  'Ayni',
  'minka',
  'ayllu',
];
const GSM_PUNCTUATION = [' ', ' ', ' ', '.', ',', ':', '\n', '\r\n', '@', '$', '_', 'Ø', 'Δ', 'ß', 'Ç'];
const EXTENSION = ['^', '{', '}', '\\', '[', '~', ']', '|', '€', '\f'];
const NOT_GSM = [
  ...['á', 'í', 'ó', 'ú', 'Á', 'Ó', 'ï', 'Ï', 'ʼ', '’', '“', '”', '…', '—', '«', '»', '\u00a0', '`', '\t'],
  ...['o\u0301', 'a\u0308', 'qʼ', 'chʼ', 'kʼ', 'phʼ', 'thʼ', 'Ñuqa', 'Jïwasa', 'Ɨ', 'š'],
];
const EMOJI = [
  ...['😀', '🌽', '🦙', '👍', '👍🏽', '👋🏾', '🇧🇴', '🇵🇪', '❤️', '☀️', '✅', '1️⃣', '#️⃣'],
  ...['👨‍👩‍👧', '👩🏽‍🌾', '🧑‍🌾', '🏳️‍🌈', '🏴‍☠️', '❤️‍🔥', '🫱🏼‍🫲🏿', '🙋‍♀️', '\u200d', '\ufe0f', '\ud83d'],
];

/** Texts of up to ~250 code units (one to four segments), mostly words with some of each kind. */
function texts(kinds: { pieces: string[]; weight: number }[]) {
  const piece = fc.oneof(
    ...kinds.map(({ pieces, weight }) => ({ arbitrary: fc.constantFrom(...pieces), weight })),
  );
  return fc.array(piece, { maxLength: 80, size: 'max' }).map((pieces) => pieces.join(''));
}

/**
 * The same texts, led by as many "a" as make them end within 3 units of a segment's end: there a
 * character pushed whole into the next segment, rather than split, changes the count.
 */
function nearSegmentEnd(text: fc.Arbitrary<string>) {
  return fc.tuple(text, fc.integer({ min: -3, max: 3 })).map(([body, delta]) => {
    const { encoding, units } = library(body);
    const [single, perSegment] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
    const ends = units <= single ? [single] : [Math.ceil(units / perSegment) * perSegment];
    const pad = Math.max(0, ends[0]! + delta - units);
    return 'a'.repeat(pad) + body;
  });
}

describe('smsSize agrees with the library', () => {
  const gsm = texts([
    { pieces: GSM_WORDS, weight: 6 },
    { pieces: GSM_PUNCTUATION, weight: 4 },
    { pieces: EXTENSION, weight: 2 },
  ]);
  const mixed = texts([
    { pieces: GSM_WORDS, weight: 6 },
    { pieces: GSM_PUNCTUATION, weight: 4 },
    { pieces: EXTENSION, weight: 1 },
    { pieces: NOT_GSM, weight: 1 },
    { pieces: EMOJI, weight: 1 },
  ]);
  const ucs2 = texts([
    { pieces: GSM_WORDS, weight: 1 },
    { pieces: GSM_PUNCTUATION, weight: 1 },
    { pieces: NOT_GSM, weight: 3 },
    { pieces: EMOJI, weight: 3 },
  ]);

  it.each([
    ['GSM-7 texts with extension characters', gsm],
    ['Spanish, Aymara and Quechua texts with accents, ejectives and emoji', mixed],
    ['texts mostly of emoji and letters GSM-7 lacks', ucs2],
  ])('on %s, of any length and ending near a segment’s end', (_what, text) => {
    fc.assert(fc.property(text, expectAgreement), { numRuns: 600 });
    fc.assert(fc.property(nearSegmentEnd(text), expectAgreement), { numRuns: 600 });
  });
});
