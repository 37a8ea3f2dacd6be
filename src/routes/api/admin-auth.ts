/**
 * `Authorization: Bearer $ADMIN_TOKEN` on every /api route, compared in constant time. Without a
 * configured ADMIN_TOKEN the admin API is closed: every request gets 401.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sameSecret } from '../same-secret.js';

export function adminAuth(adminToken: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!adminToken || !match || !sameSecret(match[1] as string, adminToken)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'a valid admin token is required' });
    }
  };
}
