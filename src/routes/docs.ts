/**
 * /docs: the admin API's OpenAPI document (/docs/json) and its UI, served only when API_DOCS is on
 * and only to the administrator. A script sends `Authorization: Bearer $ADMIN_TOKEN` as to any
 * /api route; a browser, which cannot add that header, is asked for a password (HTTP Basic: any
 * user name, ADMIN_TOKEN as the password). Without API_DOCS, /docs is a 404 like any unknown path.
 */
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from './same-secret.js';

/** The token a request carries, as a bearer token or as a Basic password; '' when none. */
export function presentedToken(header: string | undefined): string {
  const bearer = /^Bearer (.+)$/.exec(header ?? '');
  if (bearer) return bearer[1] as string;
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header ?? '');
  if (!basic) return '';
  const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? '' : decoded.slice(colon + 1);
}

export async function docsRoutes(app: FastifyInstance): Promise<void> {
  if (!app.config.API_DOCS) return;
  const adminToken = app.config.ADMIN_TOKEN;
  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    const token = presentedToken(request.headers.authorization);
    if (!adminToken || !token || !sameSecret(token, adminToken)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Basic realm="Ayni API docs", charset="UTF-8"')
        .send({ error: 'the API docs are for the administrator: send ADMIN_TOKEN' });
    }
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // Swagger UI's own policy (its scripts and styles), but never inside a frame.
    staticCSP: true,
    transformStaticCSP: (header) => header.replace("frame-ancestors 'self'", "frame-ancestors 'none'"),
  });
}
