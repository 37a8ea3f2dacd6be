/**
 * Broadcasts as a Fastify decoration (`app.broadcasts`), on the app's Redis and outbound sender,
 * with the fan-out worker running in this process unless `runWorker` is false. Also lets
 * coordinators send AVISO by text, through the group desk. Closed with the app.
 */
import fp from 'fastify-plugin';
import type { ContentRuntime } from './content-runtime.js';
import type { Channel } from '../privacy/phone.js';
import type { BroadcastService } from '../broadcasts/broadcast-service.js';
import { createBroadcasts } from '../broadcasts/create-broadcasts.js';
import { createNoticeSender } from '../broadcasts/notices.js';

declare module 'fastify' {
  interface FastifyInstance {
    broadcasts: BroadcastService;
  }
}

export interface BroadcastsPluginOptions {
  redisUrl: string;
  keyPrefix: string;
  runtime: ContentRuntime;
  rates: Record<Channel, number>;
  tz: string;
  queueName?: string;
  pageSize?: number;
  backlogSeconds?: number;
  /** run the fan-out worker in this process; default true */
  runWorker?: boolean;
  clock?: () => number;
}

export default fp<BroadcastsPluginOptions>(
  async (app, options) => {
    const broadcasts = createBroadcasts({
      redis: app.redis,
      redisUrl: options.redisUrl,
      keyPrefix: options.keyPrefix,
      sender: app.outbound,
      sessions: app.sessions,
      groups: app.groups,
      lessons: options.runtime.course.lessons.map((lesson) => lesson.id),
      spelling: options.runtime.spelling,
      rates: options.rates,
      tz: options.tz,
      queueName: options.queueName,
      pageSize: options.pageSize,
      backlogSeconds: options.backlogSeconds,
      clock: options.clock,
      logger: app.log.child({ component: 'broadcasts' }),
    });
    app.decorate('broadcasts', broadcasts.service);
    app.groupDesk.provideNotices(createNoticeSender(broadcasts.service, options.runtime.translator));
    if (options.runWorker !== false) broadcasts.start();
    app.addHook('onClose', () => broadcasts.close());
  },
  { name: 'broadcasts', dependencies: ['redis', 'outbound', 'conversation'] },
);
