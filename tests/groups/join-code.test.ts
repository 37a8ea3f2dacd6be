// Join codes are read off a blackboard and typed on feature phones: no look-alike characters, and
// whatever case or separators a learner uses, the same code comes out.
import { describe, expect, it } from 'vitest';
import {
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  normalizeJoinCode,
  randomJoinCode,
} from '../../src/reading/join-code.js';

describe('join codes', () => {
  it('use an alphabet without 0/O, 1/I/L', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) expect(JOIN_CODE_ALPHABET).not.toContain(ambiguous);
    expect(new Set(JOIN_CODE_ALPHABET).size).toBe(JOIN_CODE_ALPHABET.length);
    expect(JOIN_CODE_ALPHABET).toMatch(/^[2-9A-Z]+$/);
  });

  it('are six characters of that alphabet, random, and normalize to themselves', () => {
    const codes = Array.from({ length: 2000 }, () => randomJoinCode());
    for (const code of codes) {
      expect(code).toHaveLength(JOIN_CODE_LENGTH);
      for (const char of code) expect(JOIN_CODE_ALPHABET).toContain(char);
      expect(normalizeJoinCode(code)).toBe(code);
    }
    // 2,000 draws from ~887 million codes: a repeat would mean the generator is broken.
    expect(new Set(codes).size).toBe(codes.length);
    // and every character of the alphabet turns up
    expect(new Set(codes.join('')).size).toBe(JOIN_CODE_ALPHABET.length);
  });

  it.each([
    ['K7M2QX', 'K7M2QX'],
    ['k7m2qx', 'K7M2QX'],
    ['K7M-2QX', 'K7M2QX'],
    ['k7m 2qx', 'K7M2QX'],
    ['  K7M2QX\n', 'K7M2QX'],
    ['K 7 M - 2 Q X', 'K7M2QX'],
    ['K7M–2QX', 'K7M2QX'], // en dash, as some keyboards substitute
    ['Ｋ７Ｍ２ＱＸ', 'K7M2QX'], // full-width
    ['K7M2Q', null], // too short
    ['K7M2QXY', null], // too long
    ['K7M2Q0', null], // zero is never in a code
    ['K7M2QO', null], // nor O
    ['K7M2Q1', null],
    ['K7M2QI', null],
    ['k7m2ql', null],
    ['PAGADO', null], // a six-letter word is not mistaken for a code
    ['HOLA', null],
    ['K7M.2QX', null],
    ['', null],
  ])('normalizeJoinCode(%j) is %j', (input, expected) => {
    expect(normalizeJoinCode(input)).toBe(expected);
  });
});
