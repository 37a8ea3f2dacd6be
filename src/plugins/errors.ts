/**
 * How the app answers an error no route handled: 503 with Retry-After when Redis is away or a
 * learner's turn could not get or keep its lock, the error's own status below 500, else 500.
 */
import type { FastifyError } from 'fastify';
import fp from 'fastify-plugin';
import { isRedisUnavailable } from '../store/redis-client.js';
import { LockTimeoutError } from '../store/sender-lock.js';
import { LockLostError } from '../store/session-turns.js';

export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      // All safe to retry: the turn saved nothing, and a retry with the same MessageSid is idempotent.
      if (isRedisUnavailable(error) || error instanceof LockTimeoutError || error instanceof LockLostError) {
        request.log.warn({ err: error.message }, 'unavailable: answering 503');
        return reply.code(503).header('retry-after', '5').send({ error: 'temporarily unavailable' });
      }
      if (error.statusCode && error.statusCode < 500) {
        return reply.code(error.statusCode).send({ error: error.message });
      }
      // Name and message only: a Redis error carries its command's arguments, session JSON included.
      request.log.error({ err: { name: error.name, message: error.message } }, 'unexpected error');
      return reply.code(500).send({ error: 'internal error' });
    });
  },
  { name: 'errors' },
);
