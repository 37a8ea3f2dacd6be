/**
 * The coordinator console at /console: server-rendered pages where trainers log in with a code
 * texted to their phone, run their groups, read progress, send reminders, try the bot and check
 * completion codes. Administrators log in with ADMIN_TOKEN and see every group.
 *
 * Page weight (uncompressed bytes, measured by tests/console/pages.test.ts and browser.test.ts):
 * the style sheet is 4.8 KB and the script 4.5 KB, each cached for a year under a hashed name;
 * a page's HTML is 1.5–11 KB (verify 1.6 KB, groups 2.6 KB, try the bot 2.8 KB, reminders
 * 5.8 KB, a group's progress with its three charts for 14 lessons 10.6 KB). A first visit to
 * the groups page loads about 12 KB in all: no web fonts, no images, no framework.
 *
 * Built light on purpose: HTML from template literals (html.ts escapes every value), one CSS file
 * and one small script that only enhances (live SMS counter, live broadcast counts); every page
 * reads and every form works without JavaScript.
 *
 * Security: the session is a random id in a signed, httpOnly, SameSite=Lax cookie limited to
 * /console (Secure over HTTPS); Redis keeps its hash. Every form carries the session's CSRF
 * token and every POST checks it (API writes: the x-csrf-token header); a cross-site POST is
 * refused outright. Login codes and admin tokens are rate limited per address and per number.
 * Content-Security-Policy allows only this origin's style sheet and script.
 *
 * Encapsulated (not fastify-plugin): the cookie parser, hooks and error handler stay inside.
 */
import { createHash, createHmac } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { isRedisUnavailable } from '../../store/redis-client.js';
import { CLIENT_JS } from './assets/client.js';
import { CSS } from './assets/styles.js';
import { ConsoleAuth, sameSecret, type ConsoleSession } from './auth.js';
import { BroadcastOwners } from './broadcast-owners.js';
import { htmlError, sendPage, type ConsoleDeps } from './deps.js';
import { groupRoutes } from './routes/groups.js';
import { loginRoutes } from './routes/login.js';
import { progressRoutes } from './routes/progress.js';
import { reminderRoutes } from './routes/reminders.js';
import { tryRoutes } from './routes/try-bot.js';
import { verifyRoutes } from './routes/verify.js';
import { scopedApi } from './scoped-api.js';
import { readSession, SESSION_COOKIE } from './session-cookie.js';

export interface ConsolePluginOptions {
  config: Config;
  clock?: () => number;
}

const CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 10);

export async function consolePlugin(app: FastifyInstance, options: ConsolePluginOptions): Promise<void> {
  const { config } = options;
  // CONSOLE_SECRET signs cookies; without it, a key derived from the Twilio auth token (which
  // every process of one deployment shares) keeps cookies valid across processes and restarts.
  const secret =
    config.CONSOLE_SECRET ??
    createHmac('sha256', config.TWILIO_AUTH_TOKEN).update('ayni console cookie key').digest('hex');
  await app.register(cookie, { secret, hook: 'onRequest' });

  const assets = {
    css: `/console/assets/console-${hashOf(CSS)}.css`,
    js: `/console/assets/console-${hashOf(CLIENT_JS)}.js`,
  };
  const auth = new ConsoleAuth(app.redis, config.REDIS_PREFIX, secret, options.clock);
  const deps: ConsoleDeps = {
    auth,
    owners: new BroadcastOwners(app.redis, config.REDIS_PREFIX),
    assets,
    redis: app.redis,
    keyPrefix: config.REDIS_PREFIX,
    tz: config.TZ,
    adminToken: config.ADMIN_TOKEN,
    canText: Boolean(
      config.TWILIO_ACCOUNT_SID &&
      (config.TWILIO_SMS_FROM || config.TWILIO_MESSAGING_SERVICE_SID || config.TWILIO_WHATSAPP_FROM),
    ),
    groups: app.groups,
    coordinators: app.coordinators,
    sessions: app.sessions,
    completions: app.completions,
    engine: app.engine,
    content: app.content,
    keys: app.keys,
    outbound: app.outbound,
    broadcasts: app.hasDecorator('broadcasts') ? app.broadcasts : null,
  };

  app.decorateRequest('consoleSession', null);

  // The console is not part of the documented bearer-token API: keep its routes out of /docs.
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', CSP);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const api = request.url.startsWith('/console/api/');
    let status = error.statusCode && error.statusCode < 600 ? error.statusCode : 500;
    let message = error.message;
    if (isRedisUnavailable(error)) {
      status = 503;
      message = 'El servicio no está disponible en este momento. Intente de nuevo en unos segundos.';
      reply.header('retry-after', '5');
    } else if (status >= 500) {
      request.log.error({ err: error }, 'console: unexpected error');
      message = 'Algo salió mal. Intente de nuevo; si se repite, avise a quien administra Ayni.';
    }
    if (api) return reply.code(status).send({ error: message });
    return sendPage(
      reply,
      deps,
      { title: 'Error', session: request.consoleSession, body: htmlError('No se pudo completar', message) },
      status,
    );
  });

  app.get('/console/assets/:file', async (request, reply) => {
    const { file } = request.params as { file: string };
    const asset =
      file === assets.css.split('/').pop()
        ? { type: 'text/css; charset=utf-8', body: CSS }
        : file === assets.js.split('/').pop()
          ? { type: 'text/javascript; charset=utf-8', body: CLIENT_JS }
          : null;
    if (!asset) return reply.code(404).type('text/plain').send('not found');
    return reply
      .type(asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });

  app.get('/console', async (request, reply) => {
    const session = await readSession(request, auth);
    return reply.redirect(session ? '/console/groups' : '/console/login', 303);
  });

  await app.register(loginRoutes, { deps, secret });

  // Everything below needs a session.
  await app.register(async (signedIn) => {
    signedIn.addHook('onRequest', async (request, reply) => {
      const api = request.url.startsWith('/console/api/');
      const session = await readSession(request, auth);
      if (!session) {
        if (api) return reply.code(401).send({ error: 'sign in at /console/login first' });
        const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
        return reply.redirect(`/console/login${next}`, 303);
      }
      request.consoleSession = session;
      if (request.method === 'GET' || request.method === 'HEAD') return;
      // A write from another site is refused whatever it carries (browsers send Sec-Fetch-Site).
      if (request.headers['sec-fetch-site'] === 'cross-site') return refuseCsrf(request, reply);
      if (api) {
        const token = request.headers['x-csrf-token'];
        if (typeof token !== 'string' || !sameSecret(token, session.csrf)) return refuseCsrf(request, reply);
      }
    });
    // Forms: the body's _csrf field, once the body is parsed.
    signedIn.addHook('preHandler', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.url.startsWith('/console/api/'))
        return;
      const session = request.consoleSession as ConsoleSession;
      const token = (request.body as { _csrf?: unknown } | undefined)?._csrf;
      if (typeof token !== 'string' || !sameSecret(token, session.csrf)) return refuseCsrf(request, reply);
    });

    signedIn.post('/console/logout', async (request, reply) => {
      await auth.endSession(request.consoleSession as ConsoleSession);
      reply.clearCookie(SESSION_COOKIE, { path: '/console' });
      return reply.redirect('/console/login?bye=1', 303);
    });
    await signedIn.register(groupRoutes, deps);
    await signedIn.register(progressRoutes, deps);
    await signedIn.register(reminderRoutes, deps);
    await signedIn.register(tryRoutes, deps);
    await signedIn.register(verifyRoutes, deps);
    await signedIn.register(scopedApi, deps);
  });

  function refuseCsrf(request: FastifyRequest, reply: FastifyReply) {
    const message =
      'La página venció o el formulario no vino de la consola. Vuelva a abrir la página e intente de nuevo.';
    if (request.url.startsWith('/console/api/'))
      return reply.code(403).send({ error: 'missing or wrong CSRF token' });
    return sendPage(
      reply,
      deps,
      {
        title: 'Formulario vencido',
        session: request.consoleSession,
        body: htmlError('Formulario vencido', message),
      },
      403,
    );
  }
}
