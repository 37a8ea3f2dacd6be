/**
 * The process's Redis connection (REDIS_URL, or the cluster or sentinels: store/redis-client.ts) as a Fastify decoration, closed when the app closes,
 * and `app.redisHealth`, which says why Redis cannot serve (for /readyz).
 */
import fp from 'fastify-plugin';
import type { RedisClient } from '../store/redis-client.js';
import { createRedis, describeTarget, redisTargetOf, waitUntilReady } from '../store/redis-client.js';
import { RedisHealth, redisUrlForLog } from '../store/redis-health.js';

declare module 'fastify' {
  interface FastifyInstance {
    redis: RedisClient;
    redisHealth: RedisHealth;
  }
}

export default fp(
  async (app) => {
    const target = redisTargetOf(app.config);
    const redis = createRedis(target);
    // Errors surface on the commands that hit them; the connection's own events would only
    // repeat them (and crash the process if nobody listened).
    redis.on('error', (error) => app.log.debug({ err: error.message }, 'redis connection error'));
    app.decorate<RedisClient>('redis', redis);
    app.decorate('redisHealth', new RedisHealth(redis));
    // Start even when Redis is away: /readyz and the webhook answer 503 until it is back. Say so
    // once, in words a new user can act on; the connection keeps retrying on its own.
    if (!(await waitUntilReady(redis, 3_000))) {
      app.log.warn(
        `Redis is not reachable at ${describeTarget(target, redisUrlForLog)}. Start one with ` +
          '`redis-server` (or `docker run -p 6379:6379 redis:7-alpine`), or set REDIS_URL; ' +
          'Ayni keeps trying and answers 503 until then.',
      );
      redis.once('ready', () => app.log.info('Redis is reachable now'));
    }
    app.addHook('onClose', async () => {
      redis.disconnect();
    });
  },
  { name: 'redis', dependencies: ['config'] },
);
