/**
 * The Ayni app as a Fastify instance: the plugins, in the order their dependencies need, then the
 * routes. server.ts listens; tests build the same app and call it over HTTP or with inject().
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import adminRateLimit from './plugins/admin-rate-limit.js';
import broadcasts from './plugins/broadcasts.js';
import clientAddress from './plugins/client-address.js';
import configPlugin from './plugins/config.js';
import content from './plugins/content.js';
import type { ContentRuntime } from './plugins/content-runtime.js';
import type { PersonIds } from './privacy/person-ids.js';
import conversation from './plugins/conversation.js';
import errors from './plugins/errors.js';
import formBody from './plugins/form-body.js';
import nudges from './plugins/nudges.js';
import openapi from './plugins/openapi.js';
import outbound from './plugins/outbound.js';
import redis from './plugins/redis.js';
import securityHeaders from './plugins/security-headers.js';
import { serverOptions } from './plugins/server-options.js';
import startNotes from './plugins/start-notes.js';
import stores from './plugins/stores.js';
import { adminApi } from './routes/api/index.js';
import { consolePlugin } from './routes/console/plugin.js';
import { docsRoutes } from './routes/docs.js';
import { healthRoutes } from './routes/health.js';
import { homeRoute } from './routes/home.js';
import { mediaRoutes } from './routes/media.js';
import { twilioRoutes } from './routes/twilio/index.js';

export interface BuildAppOptions {
  config: Config;
  /** content already built (tests share one); built from FLOWS_DIR and LOCALES_DIR otherwise */
  runtime?: ContentRuntime;
  clock?: () => number;
  /** a pino destination for tests that read the logs */
  logStream?: NodeJS.WritableStream;
  /** the ids of people; made from ID_SECRET unless given (the id migration's test gives the old ones) */
  personIds?: PersonIds;
}

export async function buildApp({
  config,
  runtime,
  clock,
  logStream,
  personIds,
}: BuildAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      // Phone numbers and message texts never reach a log line, even by accident.
      redact: {
        paths: ['From', 'To', 'Body', '*.From', '*.To', '*.Body', 'req.body', 'body'],
        censor: '[hidden]',
      },
      ...(logStream ? { stream: logStream } : {}),
    },
    // One line per turn, written by the webhook, replaces Fastify's two lines per request.
    logController: new LogController({ disableRequestLogging: true }),
    // Which X-Forwarded-For to believe (none by default) and how long a client may take; the
    // webhook signature uses PUBLIC_URL either way.
    ...serverOptions(config),
  });

  // Plugins: app.config and app.clock, then each service once, on what the ones before it decorated.
  await app.register(configPlugin, { config, clock });
  // Content first: bad content stops the start before any connection is opened.
  await app.register(content, { runtime });
  await app.register(errors);
  await app.register(securityHeaders);
  await app.register(clientAddress);
  await app.register(formBody);
  await app.register(openapi);
  await app.register(redis);
  await app.register(stores, { personIds });
  await app.register(adminRateLimit);
  await app.register(outbound);
  await app.register(broadcasts);
  await app.register(conversation);
  await app.register(nudges);
  // What a start prints once listening: the address to open; in local mode, a console login link.
  await app.register(startNotes);

  // Routes: every one reads what it needs from the decorations above.
  await app.register(homeRoute);
  await app.register(mediaRoutes);
  await app.register(healthRoutes);
  await app.register(twilioRoutes);
  await app.register(adminApi);
  await app.register(consolePlugin);
  await app.register(docsRoutes);
  return app;
}
