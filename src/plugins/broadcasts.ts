/**
 * Broadcasts as a Fastify decoration (`app.broadcasts`), on the app's stores and outbound sender,
 * with the fan-out worker running in this process unless OUTBOUND_WORKER is false. Closed with
 * the app. Registered before the conversation plugin: coordinators' AVISO goes out as a broadcast.
 */
import fp from 'fastify-plugin';
import type { BroadcastService } from '../broadcasts/broadcast-service.js';
import { createBroadcasts } from '../broadcasts/create-broadcasts.js';
import { redisTargetOf } from '../store/redis-client.js';

declare module 'fastify' {
  interface FastifyInstance {
    broadcasts: BroadcastService;
  }
}

export default fp(
  async (app) => {
    const { config, content } = app;
    const broadcasts = createBroadcasts({
      redis: app.redis,
      redisTarget: redisTargetOf(config),
      stores: app.stores,
      sender: app.outbound,
      lessons: content.course.lessons.map((lesson) => lesson.id),
      spelling: content.spelling,
      rates: { sms: config.SMS_RATE_PER_SECOND, whatsapp: config.WHATSAPP_RATE_PER_SECOND },
      tz: config.TZ,
      allowFastRepeat: config.BROADCAST_ALLOW_FAST_REPEAT,
      queueName: config.BROADCAST_QUEUE,
      pageSize: config.BROADCAST_PAGE_SIZE,
      backlogSeconds: config.BROADCAST_BACKLOG_SECONDS,
      clock: app.clock,
      logger: app.log.child({ component: 'broadcasts' }),
    });
    app.decorate('broadcasts', broadcasts.service);
    if (config.OUTBOUND_WORKER) broadcasts.start();
    app.addHook('onClose', () => broadcasts.close());
  },
  { name: 'broadcasts', dependencies: ['config', 'content', 'redis', 'stores', 'outbound'] },
);
