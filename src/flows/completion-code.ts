/**
 * The code a learner gets on finishing a section (Think.COOP), short and easy to read aloud or
 * copy from a cheap phone: no 0/O or 1/I. It is derived from the learner's code seed (a keyed
 * hash under the server's secret, PersonIds.completionSeed) and the section, so that the same
 * learner always gets the same code and knowing their number is not enough to compute it. A
 * coordinator checks a code against the record Ayni stores when it is earned
 * (src/store/completion-store.ts), so codes issued before the seed was keyed still verify.
 */
import { createHash } from 'node:crypto';

export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

export function completionCode(codeSeed: string, section: string): string {
  const digest = createHash('sha256').update(`${section}:${codeSeed}`).digest();
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[(digest[i] as number) % CODE_ALPHABET.length];
  return `AYNI-${code.slice(0, 4)}-${code.slice(4)}`;
}

/** A code as people type it (any case, spaces or dashes, with or without AYNI) or null. */
export function normalizeCode(input: string): string | null {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/^AYNI/, '');
  if (raw.length !== 8 || [...raw].some((c) => !CODE_ALPHABET.includes(c))) return null;
  return `AYNI-${raw.slice(0, 4)}-${raw.slice(4)}`;
}
