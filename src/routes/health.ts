/** GET /healthz: the process answers. GET /readyz: and Redis answers too; if not, why. */
import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await app.redis.ping();
      return { status: 'ready' };
    } catch (error) {
      return reply.code(503).send({ status: 'redis unavailable', reason: app.redisHealth.reason(error) });
    }
  });
}
