/**
 * The admin API (/api/…) is rate limited per client address (ADMIN_RATE_LIMIT_PER_MINUTE), counted
 * in Redis so every process shares the count; if Redis is away the limit is skipped (the routes
 * answer 503). An app-wide hook rather than the plugin's per-route one, so it runs before the
 * routes' own auth hook and requests with a wrong token are counted too.
 *
 * What is limited is the route the router found, never the URL as written: `/%61pi/lessons` is
 * routed to /api/lessons and counted with it. A URL that reaches no route is a 404 and costs
 * nothing to answer.
 */
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';

/** Routes are registered under their literal path: /api/groups/:id, never an encoded form. */
export function isAdminRoute(routePattern: string | undefined): boolean {
  return routePattern?.startsWith('/api/') ?? false;
}

export default fp(
  async (app) => {
    await app.register(rateLimit, {
      global: false,
      max: app.config.ADMIN_RATE_LIMIT_PER_MINUTE,
      timeWindow: 60_000,
      redis: app.redis,
      nameSpace: app.keyspace.rateLimit(),
      skipOnError: true,
      allowList: (request) => !isAdminRoute(request.routeOptions.url),
    });
    // Every other route (the webhooks above all, the hot path) leaves at once, before the plugin
    // works out the client's key; allowList above stays as the plugin's own guard.
    const limit = app.rateLimit();
    app.addHook('onRequest', async (request, reply) => {
      if (isAdminRoute(request.routeOptions.url)) await limit.call(app, request, reply);
    });
  },
  { name: 'admin-rate-limit', dependencies: ['config', 'redis', 'stores'] },
);
