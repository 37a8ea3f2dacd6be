/** The process's Redis connection (REDIS_URL) as a Fastify decoration, closed when the app closes. */
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { createRedis, waitUntilReady } from '../store/redis-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    redis: Redis;
  }
}

export default fp(
  async (app) => {
    const redis = createRedis(app.config.REDIS_URL);
    // Errors surface on the commands that hit them; the connection's own events would only
    // repeat them (and crash the process if nobody listened).
    redis.on('error', (error) => app.log.debug({ err: error.message }, 'redis connection error'));
    app.decorate('redis', redis);
    // Start even when Redis is away: /readyz and the webhook answer 503 until it is back.
    if (!(await waitUntilReady(redis, 3_000))) app.log.warn('Redis is not reachable yet');
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  },
  { name: 'redis', dependencies: ['config'] },
);
