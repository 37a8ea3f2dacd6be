/**
 * The token in a certificate's URL. A certificate may carry the learner's name, so its URL is
 * not guessable from the code alone: HMAC-SHA256 of the language and code under ID_SECRET.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function certificateToken(secret: string, lang: string, code: string): string {
  return createHmac('sha256', secret).update(`certificate:${lang}:${code}`).digest('base64url').slice(0, 22);
}

export function isCertificateToken(secret: string, lang: string, code: string, token: string): boolean {
  const expected = Buffer.from(certificateToken(secret, lang, code));
  const given = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
