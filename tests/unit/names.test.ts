// The one cleaner of names people give (groups, coordinators): printable characters only, no
// bidirectional controls, no zero-width or control characters, a length cap that never cuts a
// character in half, and the same answer when it is run again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanName, NAME_MAX } from '../../src/reading/names.js';

describe('cleanName', () => {
  it.each([
    ['bidi override', 'Feria\u202Eairef', 'Feriaairef'],
    ['bidi embeddings and pop', '\u202AMercado\u202B Central\u202C\u202D', 'Mercado Central'],
    ['bidi isolates', '\u2066Tejedoras\u2067 de\u2068 Ana\u2069', 'Tejedoras de Ana'],
    ['direction marks', '\u200EAna\u200F\u061C', 'Ana'],
    ['zero-width characters', 'Ze\u200Bro\u200C wi\u200Ddth\uFEFF', 'Zero width'],
    ['control characters', 'Feria\u0000Cen\u0007tral\u001B[31m\u007F\u0085', 'FeriaCentral[31m'],
    ['line breaks and tabs', 'Grupo\r\n\tdel\u2028martes', 'Grupo del martes'],
    ['private-use characters', 'Coop\uE000\uF8FF', 'Coop'],
    ['noncharacters', 'Coop\uFDD0\uFFFE\uFFFF', 'Coop'],
    ['a lone surrogate', 'Coop\uD800', 'Coop'],
    ['nothing printable', '\u202E\u2066\u200B\u0000 \t', ''],
    ['accents, kept (and composed)', 'Rodri\u0301guez', 'Rodríguez'],
    ['what kept a letter from its accent', 'Jose\u200B\u0301', 'José'],
    ['emoji, kept', 'Tejedoras 🧶👩🏽‍🌾', 'Tejedoras 🧶👩🏽🌾'],
  ])('takes out %s', (_what, raw, clean) => {
    expect(cleanName(raw)).toBe(clean);
  });

  it(`cuts a very long name to ${NAME_MAX} characters`, () => {
    expect(cleanName('x'.repeat(10_000))).toBe('x'.repeat(NAME_MAX));
    expect(cleanName(`${'a '.repeat(30)}`)).toBe('a '.repeat(20).trim());
  });

  it('never cuts a character in half: an emoji, a flag, a letter and its accent', () => {
    const pad = 'x'.repeat(NAME_MAX - 1);
    expect(cleanName(`${pad}🧶`)).toBe(`${pad}🧶`);
    expect(cleanName(`${pad}🇧🇴`)).toBe(pad);
    expect(cleanName(`${pad}n\u0303\u0301`)).toBe(pad);
  });

  it('leaves nothing unprintable, stays within the cap, and gives the same name when run again', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '\u202E',
        '\u2066',
        '\u2069',
        '\u200B',
        '\u200D',
        '\u0000',
        '\n',
        ' ',
        '🇧🇴',
        'n',
        '\u0303',
      ),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const clean = cleanName(pieces.join(''));
        expect(clean).not.toMatch(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/u);
        expect(clean).toBe(clean.trim());
        expect(clean).not.toMatch(/\s\s/);
        expect(Array.from(clean).length).toBeLessThanOrEqual(NAME_MAX);
        expect(cleanName(clean)).toBe(clean);
      }),
    );
  });
});
