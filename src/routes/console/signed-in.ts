/**
 * The gate of every console route but the login pages: a session (the signed cookie), else the
 * login page (or 401 under /console/api/); and on every write, the session's CSRF token (the
 * form's _csrf field, or the x-csrf-token header of an API write). A write another site sends is
 * refused whatever it carries (browsers send Sec-Fetch-Site).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sameSecret } from '../same-secret.js';
import { refuseCsrf } from './answers.js';
import type { ConsoleAuth, ConsoleSession } from './auth.js';
import { sessionOf } from './context.js';
import { readSession, SESSION_COOKIE } from './session-cookie.js';
import type { Assets } from './ui/layout.js';
import { reviewerElsewhere, reviewerMayOpen } from './reviewer-gate.js';

const isApi = (request: FastifyRequest) => request.url.startsWith('/console/api/');
const isRead = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD';
const matches = (token: unknown, session: ConsoleSession) =>
  typeof token === 'string' && sameSecret(token, session.csrf);

export function requireSignIn(app: FastifyInstance, auth: ConsoleAuth, assets: Assets): void {
  app.addHook('onRequest', async (request, reply) => {
    const session = await readSession(request, auth);
    if (!session) {
      if (isApi(request)) return reply.code(401).send({ error: 'sign in at /console/login first' });
      const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
      return reply.redirect(`/console/login${next}`, 303);
    }
    request.consoleSession = session;
    if (!reviewerMayOpen(session.viewer, request.url)) return reviewerElsewhere(request, reply);
    if (isRead(request)) return;
    if (request.headers['sec-fetch-site'] === 'cross-site') return refuseCsrf(request, reply, assets);
    if (isApi(request) && !matches(request.headers['x-csrf-token'], session))
      return refuseCsrf(request, reply, assets);
  });
  // Forms: the body's _csrf field, once the body is parsed.
  app.addHook('preHandler', async (request, reply) => {
    if (isRead(request) || isApi(request)) return;
    const token = (request.body as Record<string, unknown> | undefined)?._csrf;
    if (!matches(token, sessionOf(request))) return refuseCsrf(request, reply, assets);
  });
}

export function logoutRoute(app: FastifyInstance, auth: ConsoleAuth): void {
  app.post('/console/logout', async (request, reply) => {
    await auth.endSession(sessionOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/console' });
    return reply.redirect('/console/login?bye=1', 303);
  });
}
