/**
 * Before there is a session, the login forms are protected by a double-submit token: a signed
 * cookie (ayni_console_pre) whose value each login form repeats in its `_pre` field.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../../../same-secret.js';
import { cookieOptions } from '../../session-cookie.js';
import { field } from '../../ui/form.js';

export const PRE_COOKIE = 'ayni_console_pre';

/** The token in the request's cookie, if it is there and signed by us. */
export function preToken(request: FastifyRequest): string | null {
  const value = request.cookies[PRE_COOKIE];
  const unsigned = value ? request.unsignCookie(value) : null;
  return unsigned?.valid && unsigned.value ? unsigned.value : null;
}

/** The request's token, or a new one set in a cookie on the reply. */
export function ensurePreToken(request: FastifyRequest, reply: FastifyReply): string {
  const existing = preToken(request);
  if (existing) return existing;
  const token = randomBytes(24).toString('base64url');
  reply.setCookie(PRE_COOKIE, token, cookieOptions(request, 60 * 60));
  return token;
}

/** The form repeats the cookie's token. */
export function preTokenMatches(request: FastifyRequest): boolean {
  const expected = preToken(request);
  const sent = field(request.body, '_pre');
  return !!expected && !!sent && sameSecret(sent, expected);
}
