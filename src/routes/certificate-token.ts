/**
 * The token in a certificate's URL. A certificate may carry the learner's name, so its URL is
 * not guessable from the code alone: HMAC-SHA256 of the language and code under ID_SECRET.
 */
import { createHmac } from 'node:crypto';
import { sameSecret } from './same-secret.js';

export function certificateToken(secret: string, lang: string, code: string): string {
  return createHmac('sha256', secret).update(`certificate:${lang}:${code}`).digest('base64url').slice(0, 22);
}

export function isCertificateToken(secret: string, lang: string, code: string, token: string): boolean {
  return sameSecret(token, certificateToken(secret, lang, code));
}
