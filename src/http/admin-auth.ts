/**
 * `Authorization: Bearer $ADMIN_TOKEN` on every /api route, compared in constant time. Without a
 * configured ADMIN_TOKEN the admin API is closed: every request gets 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function adminAuth(adminToken: string | undefined) {
  // Hashing first gives equal-length buffers, so the comparison leaks neither content nor length.
  const expected = adminToken ? digest(adminToken) : null;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (!expected || !match || !timingSafeEqual(digest(match[1] as string), expected)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: 'a valid admin token is required' });
    }
  };
}
