/**
 * Signing in. A coordinator types their number; if it is registered, Ayni texts a 6-digit code
 * through the bot (sign-in.ts); the code is good for 10 minutes and 5 tries. An administrator
 * pastes ADMIN_TOKEN instead, or, in local mode, opens the one-time link printed at start
 * (login-link.ts). Requests for codes and tries are rate limited per client address
 * and per number (limits.ts). The answers to a number that is not registered (status, words,
 * headers and the work behind them) are those to one that is, asking for a code and trying a
 * wrong one, so the page cannot be used to find out who coordinates.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLocalMode } from '../../../../config.js';
import { CODE_TRIES } from '../../auth.js';
import type { LoginLinks } from '../../../../store/login-links.js';
import type { ConsoleContext } from '../../context.js';
import { readSession } from '../../session-cookie.js';
import { field, normalizePhone } from '../../ui/form.js';
import { signInWithLink } from './login-link.js';
import { ensurePreToken } from './pre-token.js';
import { LoginReplies, safeNext } from './replies.js';

const NO_TWILIO =
  'No se pueden enviar códigos: este servidor no tiene Twilio configurado (TWILIO_ACCOUNT_SID y TWILIO_SMS_FROM o TWILIO_WHATSAPP_FROM). Entre con el token de administración o pida a quien administra Ayni que lo configure.';
const BAD_NUMBER =
  'Ese número no parece válido. Escríbalo con +591 y los 8 dígitos, por ejemplo +591 71234567.';

/** A login form's fields: its double-submit token, where to go next, and its own. */
const loginForm = (fields: string[]) => ({
  schema: {
    body: {
      type: 'object',
      properties: Object.fromEntries(
        ['_pre', 'next', ...fields].map((f) => [f, { type: 'string', maxLength: 200 }]),
      ),
    },
  },
});

type Handler = (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply>;

export async function loginRoutes(app: FastifyInstance, context: ConsoleContext) {
  const replies = new LoginReplies(context);
  // One-time links exist only in local mode (no Twilio settings): a deployment never honours one,
  // even one minted by a local process pointed at the same Redis.
  const links = isLocalMode(app.config) ? app.stores.loginLinks : null;
  app.get('/console/login', showLogin(context, replies, links));
  app.post('/console/login/code', loginForm(['phone']), askForCode(context, replies));
  app.post('/console/login/verify', loginForm(['phone', 'code']), tryCode(context, replies));
  app.post('/console/login/admin', loginForm(['token']), tryAdminToken(context, replies));
}

function showLogin(context: ConsoleContext, replies: LoginReplies, links: LoginLinks | null): Handler {
  return async (request, reply) => {
    const query = request.query as { next?: string; bye?: string; once?: string };
    if (query.once && links) return signInWithLink(request, reply, query.once, links, replies);
    if (await readSession(request, context.auth)) return reply.redirect(safeNext(query.next), 303);
    const pre = ensurePreToken(request, reply);
    const note = query.bye ? 'Salió de la consola.' : undefined;
    return replies.loginPage(reply, { pre, next: safeNext(query.next), note });
  };
}

function askForCode({ signIn, limits }: ConsoleContext, replies: LoginReplies): Handler {
  return async (request, reply) => {
    const form = replies.formOf(request, reply);
    if (!form) return reply;
    if (!signIn.canText) return replies.loginPage(reply, { ...form, error: NO_TWILIO }, 503);
    const typed = field(request.body, 'phone');
    const phone = normalizePhone(typed);
    if (!phone)
      return replies.loginPage(reply, { ...form, error: BAD_NUMBER, phone: typed.slice(0, 40) }, 400);
    const refused =
      (await replies.limited(request, reply, form, limits.codesByAddress)) ??
      (await replies.limited(request, reply, form, limits.codesByNumber));
    if (refused) return refused;
    await signIn.sendCode(phone);
    return replies.codePage(reply, { ...form, phone });
  };
}

function tryCode({ signIn, limits }: ConsoleContext, replies: LoginReplies): Handler {
  return async (request, reply) => {
    const form = replies.formOf(request, reply);
    if (!form) return reply;
    const phone = normalizePhone(field(request.body, 'phone'));
    if (!phone) return replies.loginPage(reply, { ...form, error: 'Falta el número.' }, 400);
    const refused = await replies.limited(request, reply, form, limits.triesByAddress);
    if (refused) return refused;
    const result = await signIn.checkCode(phone, field(request.body, 'code').replace(/\s/g, ''));
    if (result.ok) return replies.startSession(request, reply, result.viewer, form.next);
    if (result.reason === 'wrong' && result.triesLeft === 0) {
      const error = `Ese código no es, y se usaron sus ${CODE_TRIES} intentos. Pida uno nuevo.`;
      return replies.loginPage(reply, { ...form, error, phone }, 401);
    }
    if (result.reason === 'wrong') {
      const n = result.triesLeft;
      const error = `Ese código no es. Le queda${n === 1 ? '' : 'n'} ${n} intento${n === 1 ? '' : 's'}.`;
      return replies.codePage(reply, { ...form, phone, error }, 401);
    }
    if (result.reason === 'not-coordinator')
      return replies.loginPage(reply, { ...form, error: 'Este número ya no coordina.' }, 403);
    const error = `El código venció o se usaron sus ${CODE_TRIES} intentos. Pida uno nuevo.`;
    return replies.loginPage(reply, { ...form, error, phone }, 401);
  };
}

function tryAdminToken({ signIn, limits }: ConsoleContext, replies: LoginReplies): Handler {
  return async (request, reply) => {
    const form = replies.formOf(request, reply);
    if (!form) return reply;
    const refused = await replies.limited(request, reply, form, limits.adminByAddress);
    if (refused) return refused;
    if (!signIn.adminOpen) {
      const error = 'La entrada de administración está cerrada: este servidor no tiene ADMIN_TOKEN.';
      return replies.loginPage(reply, { ...form, error }, 503);
    }
    const viewer = signIn.admin(field(request.body, 'token'));
    if (!viewer)
      return replies.loginPage(reply, { ...form, error: 'Ese token no es el de administración.' }, 401);
    return replies.startSession(request, reply, viewer, form.next);
  };
}
