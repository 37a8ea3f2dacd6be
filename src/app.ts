/**
 * The Ayni app as a Fastify instance: plugins for Redis and the conversation, then the routes.
 * server.ts listens; tests build the same app and call it over HTTP or with inject().
 */
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { buildContentRuntime, type ContentRuntime } from './plugins/content-runtime.js';
import { completionsRoute } from './routes/api/completions.js';
import { adminGroupsApi } from './routes/api/index.js';
import { broadcastsApi } from './routes/api/broadcasts.js';
import { progressApi } from './routes/api/progress.js';
import broadcasts from './plugins/broadcasts.js';
import { consolePlugin } from './routes/console/plugin.js';
import { QuizStore } from './groups/quiz/quiz-store.js';
import { healthRoutes } from './routes/health.js';
import { parseTwilioForm } from './plugins/form-body.js';
import { twilioMessagesRoute } from './routes/twilio/messages.js';
import conversation from './plugins/conversation.js';
import outbound from './plugins/outbound.js';
import { twilioStatusRoute } from './routes/twilio/status.js';
import redis from './plugins/redis.js';
import { LockTimeoutError } from './store/sender-lock.js';
import { LockLostError } from './store/session-turns.js';
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

  await app.register(formbody, { parser: parseTwilioForm });
  // OpenAPI from every route's JSON schema, served at /docs (registered before the routes).
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Ayni admin API', version: '0.1.0' },
      components: { securitySchemes: { admin: { type: 'http', scheme: 'bearer' } } },
      security: [{ admin: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(redis, { url: config.REDIS_URL });
  // The admin API (/api/…) is rate limited per client address, counted in Redis so every
  // process shares the count; if Redis is away the limit is skipped (the routes answer 503).
  // An app-wide hook rather than the plugin's per-route one, so it runs before the routes' own
  // auth hook and requests with a wrong token are counted too.
  await app.register(rateLimit, {
    global: false,
    max: config.ADMIN_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    redis: app.redis,
    nameSpace: `${config.REDIS_PREFIX}ratelimit:`,
    skipOnError: true,
    allowList: (request) => !request.url.startsWith('/api/'),
  });
  app.addHook('onRequest', app.rateLimit());
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
  await app.register(broadcasts, {
    redisUrl: config.REDIS_URL,
    keyPrefix: config.REDIS_PREFIX,
    runtime: content,
    rates: { sms: config.SMS_RATE_PER_SECOND, whatsapp: config.WHATSAPP_RATE_PER_SECOND },
    tz: config.TZ,
    queueName: config.BROADCAST_QUEUE,
    pageSize: config.BROADCAST_PAGE_SIZE,
    backlogSeconds: config.BROADCAST_BACKLOG_SECONDS,
    runWorker: config.OUTBOUND_WORKER,
    clock,
  });
  await app.register(broadcastsApi, { adminToken: config.ADMIN_TOKEN, broadcasts: app.broadcasts });
  await app.register(progressApi, {
    adminToken: config.ADMIN_TOKEN,
    groups: app.groups,
    sessions: app.sessions,
    quizzes: new QuizStore(app.redis, config.REDIS_PREFIX),
    course: content.course,
    translator: content.translator,
  });
  // The coordinator console (/console): pages over the stores and admin routes above.
  await app.register(consolePlugin, { config, clock });
  return app;
}
