/**
 * How the console answers: every answer carries its security headers (an HTML page also its
 * Content-Security-Policy); what goes wrong gets its own error handler (a page, or `{error}`
 * under /console/api/); a write without the session's CSRF token is refused.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isRedisUnavailable } from '../../store/redis-client.js';
import type { Assets } from './ui/layout.js';
import { errorBody, sendPage } from './ui/respond.js';

const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const isApi = (request: FastifyRequest) => request.url.startsWith('/console/api/');

export function useConsoleAnswers(app: FastifyInstance, assets: Assets): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    let status = error.statusCode && error.statusCode < 600 ? error.statusCode : 500;
    let message = error.message;
    if (isRedisUnavailable(error)) {
      status = 503;
      message = 'El servicio no está disponible en este momento. Intente de nuevo en unos segundos.';
      reply.header('retry-after', '5');
    } else if (status >= 500) {
      request.log.error({ err: error }, 'console: unexpected error');
      message = 'Algo salió mal. Intente de nuevo; si se repite, avise a quien administra Ayni.';
    }
    if (isApi(request)) return reply.code(status).send({ error: message });
    const body = errorBody('No se pudo completar', message);
    return sendPage(reply, assets, { title: 'Error', session: request.consoleSession, body }, status);
  });
}

/** 403 for a write without the session's CSRF token (or from another site). */
export function refuseCsrf(request: FastifyRequest, reply: FastifyReply, assets: Assets): FastifyReply {
  if (isApi(request)) return reply.code(403).send({ error: 'missing or wrong CSRF token' });
  const message =
    'La página venció o el formulario no vino de la consola. Vuelva a abrir la página e intente de nuevo.';
  const body = errorBody('Formulario vencido', message);
  return sendPage(reply, assets, { title: 'Formulario vencido', session: request.consoleSession, body }, 403);
}
