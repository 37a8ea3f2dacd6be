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
 * Built light on purpose: HTML from template literals (ui/html.ts escapes every value), one CSS
 * file and one small script that only enhances (live SMS counter, live broadcast counts); every
 * page reads and every form works without JavaScript.
 *
 * How it is laid out: one folder per page under pages/ (routes, view, form handling), shared UI
 * under ui/, and one way to the app's services: scope(viewer) (scope.ts), which the pages and the
 * console's JSON API (api.ts) both go through.
 *
 * Security: the session is a random id in a signed, httpOnly, SameSite=Lax cookie limited to
 * /console (Secure over HTTPS); Redis keeps its hash. Every form carries the session's CSRF
 * token and every POST checks it (API writes: the x-csrf-token header); a cross-site POST is
 * refused outright (signed-in.ts). Login codes and admin tokens are rate limited per address and
 * per number (limits.ts); a code's try is counted in the same script that checks it (auth.ts),
 * and the login answers a stranger's number as it answers a coordinator's (sign-in.ts). Content-Security-Policy allows only this origin's style sheet and script.
 *
 * Encapsulated (not fastify-plugin): the cookie parser, hooks and error handler stay inside.
 */
import { createHmac, randomBytes } from 'node:crypto';
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import { ProgressReports } from '../../groups/progress-report.js';
import { AfterReply } from './after-reply.js';
import { useConsoleAnswers } from './answers.js';
import { consoleApi } from './api.js';
import { ASSETS, assetRoutes } from './assets/route.js';
import { ConsoleAuth } from './auth.js';
import { BroadcastOwners } from './broadcast-owners.js';
import type { ConsoleContext } from './context.js';
import { consoleLimits } from './limits.js';
import { funnelRoutes } from './pages/funnel/routes.js';
import { groupRoutes } from './pages/groups/routes.js';
import { loginRoutes } from './pages/login/routes.js';
import { progressRoutes } from './pages/progress/routes.js';
import { reminderRoutes } from './pages/reminders/routes.js';
import { tryRoutes } from './pages/try-bot/routes.js';
import { verifyRoutes } from './pages/verify/routes.js';
import { textRoutes } from './pages/texts/routes.js';
import { homeOf } from './reviewer-gate.js';
import { readSession } from './session-cookie.js';
import { logoutRoute, requireSignIn } from './signed-in.js';
import { SignIn } from './sign-in.js';
import { TestChats } from './test-chats.js';

export async function consolePlugin(app: FastifyInstance): Promise<void> {
  const { config } = app;
  // CONSOLE_SECRET signs cookies; without it, a key derived from the Twilio auth token (which
  // every process of one deployment shares) keeps cookies valid across processes and restarts.
  // Local mode has no token: a random key for this run (sessions end with the process).
  const secret =
    config.CONSOLE_SECRET ??
    (config.TWILIO_AUTH_TOKEN
      ? createHmac('sha256', config.TWILIO_AUTH_TOKEN).update('ayni console cookie key').digest('hex')
      : randomBytes(32).toString('hex'));
  await app.register(cookie, { secret, hook: 'onRequest' });
  const afterReply = new AfterReply(app.log);
  // Before the sender closes (the app closes children first): a code being texted still goes.
  app.addHook('onClose', () => afterReply.idle());
  const context = consoleContext(app, secret, afterReply);
  const { auth } = context;

  app.decorateRequest('consoleSession', null);
  // The console is not part of the documented bearer-token API: keep its routes out of /docs.
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
  });
  useConsoleAnswers(app, ASSETS);
  await app.register(assetRoutes);

  app.get('/console', async (request, reply) => {
    const session = await readSession(request, auth);
    return reply.redirect(session ? homeOf(session.viewer) : '/console/login', 303);
  });
  await app.register(loginRoutes, context);

  await app.register(async (signedIn) => {
    requireSignIn(signedIn, auth, ASSETS);
    logoutRoute(signedIn, auth);
    await signedIn.register(groupRoutes, context);
    await signedIn.register(progressRoutes, context);
    await signedIn.register(funnelRoutes, context);
    await signedIn.register(reminderRoutes, context);
    await signedIn.register(tryRoutes, context);
    await signedIn.register(verifyRoutes, context);
    await signedIn.register(consoleApi, context);
    await signedIn.register(textRoutes, context);
  });
}

/** The console's services, built once over the app's. */
function consoleContext(app: FastifyInstance, secret: string, afterReply: AfterReply): ConsoleContext {
  const { config } = app;
  const auth = new ConsoleAuth(app.redis, app.keyspace, secret, app.personIds, app.clock);
  const { course, translator, spelling } = app.content;
  return {
    services: {
      groups: app.groups,
      coordinators: app.coordinators,
      sessions: app.sessions,
      completions: app.completions,
      progress: new ProgressReports({
        groups: app.groups,
        sessions: app.sessions,
        quizzes: app.quizStore,
        course,
        translator,
      }),
      broadcasts: app.hasDecorator('broadcasts') ? app.broadcasts : null,
      owners: new BroadcastOwners(app.redis, app.keyspace, app.personIds),
      chats: new TestChats(app.redis, app.engine, app.keyspace, app.personIds),
      memberRef: (groupId, learner) => auth.memberRef(groupId, learner),
    },
    content: { course, translator, spelling },
    review: {
      place: { root: process.cwd(), flowsDir: config.FLOWS_DIR, localesDir: config.LOCALES_DIR },
      proposals: app.stores.proposals,
      suggestions: app.stores.suggestions,
    },
    auth,
    signIn: new SignIn({
      auth,
      coordinators: app.coordinators,
      reviewers: app.stores.reviewers,
      sessions: app.sessions,
      outbound: app.outbound,
      content: app.content,
      adminToken: config.ADMIN_TOKEN,
      afterReply,
      log: app.log,
      canText: Boolean(
        config.TWILIO_ACCOUNT_SID &&
        (config.TWILIO_SMS_FROM || config.TWILIO_MESSAGING_SERVICE_SID || config.TWILIO_WHATSAPP_FROM),
      ),
    }),
    limits: consoleLimits(app),
    assets: ASSETS,
    tz: config.TZ,
    insight: { funnel: app.stores.funnel, nudges: app.stores.nudgeStats, clock: app.clock },
  };
}
