/**
 * Join codes: what a learner types to join a group (`UNIRME K7M2QX`, or just `K7M2QX`). Six
 * characters from an alphabet without the look-alikes 0/O, 1/I/L, so a code read aloud, copied
 * from a blackboard or typed on a feature phone comes out right. 31^6 ≈ 887 million codes: the
 * group store still claims each one atomically and retries on the rare collision.
 */
import { randomInt } from 'node:crypto';

export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const JOIN_CODE_LENGTH = 6;
/** For JSON schemas and checks: exactly a code as stored (upper case, no separators). */
export const JOIN_CODE_PATTERN = `^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`;

const codeRegex = new RegExp(JOIN_CODE_PATTERN);
// Spaces of any kind and the dashes people put in codes they copy ("K7M-2QX", "K7M 2QX"), including
// the typographic dashes a phone's keyboard may substitute.
const SEPARATORS = /[\s\-‐‑‒–—]/gu;

/** A fresh code from crypto randomness (randomInt has no modulo bias). */
export function randomJoinCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/**
 * The code someone typed, as stored, or null when it is not the shape of a code. Case, spaces and
 * dashes are ignored. A 0, O, 1, I or L can never be part of a code, so text
 * with one of them is not a code: most Spanish words of six letters fail here (PAGADO, SIEMPRE).
 */
export function normalizeJoinCode(input: string): string | null {
  const code = input.normalize('NFKC').replace(SEPARATORS, '').toUpperCase();
  return codeRegex.test(code) ? code : null;
}
