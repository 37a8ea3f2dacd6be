/** Comparing secrets (tokens, codes' hashes) without leaking them through timing. */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Compares two secrets in constant time. Hashing first gives equal-length buffers, so the
 * comparison leaks neither content nor length.
 */
export function sameSecret(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
