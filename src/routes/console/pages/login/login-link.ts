/**
 * The one-time login link that local mode prints at start (store/login-links.ts): its first use
 * signs an administrator in, as ADMIN_TOKEN does on the login form; any later use gets the login
 * page and 401.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { LoginLinks } from '../../../../store/login-links.js';
import { ensurePreToken } from './pre-token.js';
import { safeNext, type LoginReplies } from './replies.js';

const SPENT =
  'Este enlace de entrada ya se usó o venció: sirve una sola vez. Reinicie el servidor para obtener otro, o entre con el token de administración.';

export async function signInWithLink(
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
  links: LoginLinks,
  replies: LoginReplies,
): Promise<FastifyReply> {
  const next = safeNext((request.query as { next?: string }).next);
  if (await links.consume(token)) {
    request.log.info('console: an administrator signed in with the one-time link');
    return replies.startSession(request, reply, { role: 'admin', name: 'Administración' }, next);
  }
  const pre = ensurePreToken(request, reply);
  return replies.loginPage(reply, { pre, next, error: SPENT }, 401);
}
