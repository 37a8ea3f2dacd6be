/**
 * The Ayni app as a Fastify instance: plugins for Redis and the conversation, then the routes.
 * server.ts listens; tests build the same app and call it over HTTP or with inject().
 */
import formbody from '@fastify/formbody';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { buildContentRuntime, type ContentRuntime } from './content/runtime.js';
import { completionsRoute } from './http/completions-route.js';
import { adminGroupsApi } from './http/admin/index.js';
import { healthRoutes } from './http/health.js';
import { twilioMessagesRoute } from './http/twilio-messages.js';
import conversation from './plugins/conversation.js';
import outbound from './messaging/outbound-plugin.js';
import { twilioStatusRoute } from './messaging/status-route.js';
import redis from './plugins/redis.js';
import { LockTimeoutError } from './store/sender-lock.js';
import { isRedisUnavailable } from './store/redis-client.js';

export interface BuildAppOptions {
  config: Config;
  /** content already built (tests share one); built from FLOWS_DIR and LOCALES_DIR otherwise */
  runtime?: ContentRuntime;
  clock?: () => number;
  /** a pino destination for tests that read the logs */
  logStream?: NodeJS.WritableStream;
}

export async function buildApp({
  config,
  runtime,
  clock,
  logStream,
}: BuildAppOptions): Promise<FastifyInstance> {
  const content =
    runtime ?? buildContentRuntime({ flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR });
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
    // Behind a proxy or a load balancer; the signature uses PUBLIC_URL either way.
    trustProxy: true,
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isRedisUnavailable(error) || error instanceof LockTimeoutError) {
      request.log.warn({ err: error.message }, 'unavailable: answering 503');
      return reply.code(503).header('retry-after', '5').send({ error: 'temporarily unavailable' });
    }
    if (error.statusCode && error.statusCode < 500) {
      return reply.code(error.statusCode).send({ error: error.message });
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ error: 'internal error' });
  });

  await app.register(formbody);
  await app.register(redis, { url: config.REDIS_URL });
  await app.register(outbound, {
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_PREFIX,
    queueName: config.OUTBOUND_QUEUE,
    accountSid: config.TWILIO_ACCOUNT_SID,
    authToken: config.TWILIO_AUTH_TOKEN,
    apiUrl: config.TWILIO_API_URL,
    publicUrl: config.PUBLIC_URL,
    smsFrom: config.TWILIO_SMS_FROM,
    whatsappFrom: config.TWILIO_WHATSAPP_FROM,
    messagingServiceSid: config.TWILIO_MESSAGING_SERVICE_SID,
    rates: { sms: config.SMS_RATE_PER_SECOND, whatsapp: config.WHATSAPP_RATE_PER_SECOND },
    runWorker: config.OUTBOUND_WORKER,
    clock,
  });
  await app.register(conversation, {
    runtime: content,
    keyPrefix: config.REDIS_PREFIX,
    redisUrl: config.REDIS_URL,
    quizTimeoutMs: config.QUIZ_TIMEOUT_SECONDS * 1000,
    runWorker: config.OUTBOUND_WORKER,
    resumeAfterMs: config.RESUME_AFTER_HOURS * 60 * 60 * 1000,
    clock,
  });
  await app.register(healthRoutes);
  await app.register(twilioMessagesRoute, {
    authToken: config.TWILIO_AUTH_TOKEN,
    publicUrl: config.PUBLIC_URL,
  });
  await app.register(twilioStatusRoute, {
    authToken: config.TWILIO_AUTH_TOKEN,
    publicUrl: config.PUBLIC_URL,
    deliveries: app.outbound.deliveries,
  });
  await app.register(completionsRoute, { adminToken: config.ADMIN_TOKEN });
  await app.register(adminGroupsApi, {
    adminToken: config.ADMIN_TOKEN,
    coordinators: app.coordinators,
    groups: app.groups,
    course: content.course,
    translator: content.translator,
    quizzes: app.quizzes,
  });
  return app;
}
