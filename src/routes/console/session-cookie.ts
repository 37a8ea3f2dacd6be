/** The console's cookies: where they are sent, and the session a request's cookie names. */
import type { FastifyRequest } from 'fastify';
import type { ConsoleAuth, ConsoleSession } from './auth.js';

export const SESSION_COOKIE = 'ayni_console';

/**
 * Only under /console, not readable by scripts, not sent on cross-site POSTs, and Secure whenever
 * PUBLIC_URL is https: a proxy that ends TLS talks plain HTTP to Ayni, and need not say so.
 */
export function cookieOptions(request: FastifyRequest, maxAgeSeconds: number) {
  return {
    path: '/console',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: new URL(request.server.config.PUBLIC_URL).protocol === 'https:' || request.protocol === 'https',
    signed: true,
    maxAge: maxAgeSeconds,
  };
}

/** The session named by the request's signed cookie, or null. */
export async function readSession(
  request: FastifyRequest,
  auth: ConsoleAuth,
): Promise<ConsoleSession | null> {
  const value = request.cookies[SESSION_COOKIE];
  if (!value) return null;
  const unsigned = request.unsignCookie(value);
  if (!unsigned.valid || !unsigned.value) return null;
  return auth.session(unsigned.value);
}
