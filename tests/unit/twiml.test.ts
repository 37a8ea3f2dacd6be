// The TwiML answer, written by hand, against twilio's MessagingResponse (xmlbuilder), which the
// webhook used before: the same bytes for every reply and picture, and the same refusal of a
// picture URL that XML cannot carry.
import fc from 'fast-check';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { messagingTwiml } from '../../src/routes/twilio/twiml.js';

// The webhook's TwiML as it was built until the builder left the hot path: the reference.
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function builderTwiml(replies: string[], media: readonly (string | undefined)[] = []): string {
  const response = new twilio.twiml.MessagingResponse();
  replies.forEach((text, i) => {
    const clean = text.replace(NOT_XML, '');
    const mediaUrl = media[i];
    if (!mediaUrl) return void response.message(clean);
    const message = response.message('');
    message.body(clean);
    message.media(mediaUrl);
  });
  return response.toString();
}

const PIECES = [
  // what escaping is about, and what it must leave alone
  ...['&', '<', '>', '"', "'", '&amp;', '&lt;', '&#xD;', '&#38;', ']]>', '<![CDATA[', '<!--', '-->'],
  ...['\r', '\n', '\r\n', '\t', ' ', '  '],
  // Spanish, Aymara and Quechua letters, apostrophes and the typographer's one
  ...['á', 'é', 'í', 'ó', 'ú', 'ñ', 'Ñ', 'ü', 'ä', 'ï', '¿', '¡', "ch'", "k'", "q'", "p'", "t'", '’', 'ʼ'],
  ...['Jallalla', "Ch'uxña", 'Kamisaraki', 'Allillanchu', 'Añaychay', 'qhäwa', 'Sumaq', 'Aymar aru'],
  // emoji: pairs, sequences, flags; lone halves
  ...['😀', '👩‍👩‍👧', '🇧🇴', '👍🏽', '\u{1F30E}', '\uD83D', '\uDE00', '\uDBFF\uDFFF', '\uDC00\uD800'],
  // control characters and the non-characters XML 1.0 refuses; those it takes
  ...['\u0000', '\u0001', '\u0008', '\u000B', '\u000C', '\u000E', '\u001F', '\u007F', '\u0085', '\u2028'],
  ...['\uFFFE', '\uFFFF', '\uFFFD', '\u200B', '\uFEFF', '\uE000'],
];

const piece = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
);
const text = fc.oneof(
  { weight: 1, arbitrary: fc.constant('') },
  {
    weight: 9,
    arbitrary: fc.array(piece, { maxLength: 12 }).map((parts) => parts.join('')),
  },
);

// Pictures' URLs are ours: XML-legal, with queries, ampersands and whatever else a path may hold.
const urlPart = fc.constantFrom(
  'a',
  'b1',
  '-',
  '_',
  '.',
  '%20',
  '&',
  '=',
  '?',
  '<',
  '>',
  '"',
  "'",
  'ñ',
  '😀',
  ' ',
  '\r',
);
const mediaUrl = fc.oneof(
  fc.constant(undefined),
  fc.constant(''),
  fc.constantFrom(
    'https://ayni.example.org/media/certificate/es/AB12-CD34.png?t=abc&x=1',
    'http://localhost:3000/media/pictures/coop.png',
    'https://ayni.example.org/media/x.png?a=1&b=2&amp;c=3',
  ),
  fc
    .tuple(fc.constantFrom('https://', 'http://'), fc.array(urlPart, { maxLength: 12 }))
    .map(([scheme, parts]) => `${scheme}ayni.example.org/media/${parts.join('')}`),
);

describe('messagingTwiml', () => {
  it.each([
    ['no reply', [], []],
    ['an empty reply', [''], []],
    ['a reply of nothing XML can carry', ['\u0000\uD800\uFFFF'], []],
    ['two replies', ['Hola', 'Jallalla'], []],
    ['escapes', ['a & b < c > d " e \' f \r\n g ]]>'], []],
    ['a picture with an empty caption', [''], ['https://x.org/a.png?b=1&c=2']],
    ['a picture on the second reply only', ['uno', 'dos'], [undefined, 'https://x.org/a.png']],
    ['an empty picture URL', ['uno'], ['']],
    ['more pictures than replies', ['uno'], ['https://x.org/a.png', 'https://x.org/b.png']],
  ] as [string, string[], (string | undefined)[]][])(
    'writes %s as the builder does',
    (_name, replies, media) => {
      expect(messagingTwiml(replies, media)).toBe(builderTwiml(replies, media));
    },
  );

  it('is byte for byte the builder, whatever the replies and pictures', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(text, mediaUrl), { maxLength: 4 }), (bubbles) => {
        const replies = bubbles.map(([reply]) => reply);
        const media = bubbles.map(([, url]) => url);
        expect(messagingTwiml(replies, media)).toBe(builderTwiml(replies, media));
        expect(messagingTwiml(replies)).toBe(builderTwiml(replies));
      }),
      { numRuns: 5_000 },
    );
  });

  it('is the builder on every single UTF-16 code unit, between letters (a reply each, 256 a call)', () => {
    for (let block = 0; block <= 0xff00; block += 0x100) {
      const replies = Array.from({ length: 0x100 }, (_, i) => `a${String.fromCharCode(block + i)}b`);
      expect(messagingTwiml(replies), `U+${block.toString(16)}…`).toBe(builderTwiml(replies));
    }
  });

  it('refuses a picture URL that XML cannot carry, as the builder did', () => {
    for (const url of [
      'https://x.org/a\u0000.png',
      'https://x.org/\uD800',
      'https://x.org/\uFFFF',
      'https://x.org/\u001F',
    ]) {
      expect(() => builderTwiml(['caption'], [url])).toThrow();
      expect(() => messagingTwiml(['caption'], [url])).toThrow(/media URL/);
    }
  });
});
