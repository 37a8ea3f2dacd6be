/**
 * Signing in. A coordinator types their number; if it is registered, Ayni texts a 6-digit code
 * through the bot (SMS, or WhatsApp inside the 24-hour window); the code is good for 10 minutes
 * and 5 tries. An administrator pastes ADMIN_TOKEN instead. Requests for codes and tries are
 * rate limited per client address and per number. The answer to a number that is not registered
 * looks the same as to one that is, so the page cannot be used to find out who coordinates.
 *
 * Before there is a session, forms are protected by a double-submit token: a signed cookie
 * (ayni_console_pre) whose value each login form repeats.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { spellForChannel } from '../../../i18n/sms-spelling.js';
import { learnerId, maskPhone } from '../../../privacy/phone.js';
import { CODE_TTL_MS, SESSION_TTL_MS, sameSecret, type Viewer } from '../auth.js';
import { one, sendPage, type ConsoleDeps } from '../deps.js';
import { html, type Html } from '../ui/html.js';
import { cookieOptions, readSession, SESSION_COOKIE } from '../session-cookie.js';

const PRE_COOKIE = 'ayni_console_pre';
const WINDOW_MS = 15 * 60 * 1000;
/** Per client address and window: codes asked for, codes tried, admin tokens tried. */
export const LIMITS = { codesPerAddress: 10, codesPerNumber: 3, triesPerAddress: 30, adminPerAddress: 10 };

/** What people type: spaces, dashes, a leading 00, or a Bolivian mobile without +591. */
export function normalizePhone(input: string): string | null {
  let phone = input.replace(/[\s\-().]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  if (/^[67]\d{7}$/.test(phone)) phone = `+591${phone}`;
  return /^\+[1-9]\d{6,14}$/.test(phone) ? phone : null;
}

/** Only a path inside the console: never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console\/[A-Za-z0-9/_\-?=&.%]*$/.test(next) && !next.startsWith('//')
    ? next
    : '/console/groups';
}

const bodySchema = (fields: string[]) => ({
  body: {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f, { type: 'string', maxLength: 200 }])),
  },
});

export async function loginRoutes(app: FastifyInstance, options: { deps: ConsoleDeps; secret: string }) {
  const { deps } = options;
  const { auth } = deps;

  const preToken = (request: FastifyRequest): string | null => {
    const value = request.cookies[PRE_COOKIE];
    const unsigned = value ? request.unsignCookie(value) : null;
    return unsigned?.valid && unsigned.value ? unsigned.value : null;
  };
  const ensurePre = (request: FastifyRequest, reply: FastifyReply): string => {
    const existing = preToken(request);
    if (existing) return existing;
    const token = randomBytes(24).toString('base64url');
    reply.setCookie(PRE_COOKIE, token, cookieOptions(request, 60 * 60));
    return token;
  };
  const preOk = (request: FastifyRequest): boolean => {
    const expected = preToken(request);
    const sent = one((request.body as Record<string, unknown> | undefined)?._pre);
    return !!expected && !!sent && sameSecret(sent, expected);
  };

  const loginPage = (
    reply: FastifyReply,
    pre: string,
    next: string,
    extra: { error?: string; note?: string; phone?: string; status?: number } = {},
  ) => {
    const textingOff = deps.canText
      ? ''
      : html`<p class="note">
          El envío de códigos por SMS o WhatsApp no está configurado en este servidor (TWILIO_ACCOUNT_SID y un
          número emisor). La administración puede entrar con su token.
        </p>`;
    const body = html`<h1>Entrar a la consola</h1>
      ${extra.error ? html`<p class="error" role="alert">${extra.error}</p>` : ''}${extra.note ? html`<p class="ok" role="status">${extra.note}</p>` : ''}
      <p>
        Escriba el número de celular con el que coordina. Ayni le enviará un código de 6 cifras por SMS o
        WhatsApp.
      </p>
      ${textingOff}
      <form method="post" action="/console/login/code">
        <input type="hidden" name="_pre" value="${pre}" /><input type="hidden" name="next" value="${next}" />
        <label for="phone">Número de celular</label>
        <input
          id="phone"
          name="phone"
          type="tel"
          inputmode="tel"
          autocomplete="tel"
          required
          placeholder="+591 71234567"
          value="${extra.phone ?? ''}"
          aria-describedby="phone-hint"
        />
        <p class="hint" id="phone-hint">
          Con código de país (+591), o solo los 8 dígitos de un celular de Bolivia.
        </p>
        <button type="submit">Enviarme un código</button>
      </form>
      <details class="card">
        <summary>Entrar como administración</summary>
        <form method="post" action="/console/login/admin">
          <input type="hidden" name="_pre" value="${pre}" /><input
            type="hidden"
            name="next"
            value="${next}"
          />
          <label for="token">Token de administración (ADMIN_TOKEN)</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required />
          <button type="submit">Entrar</button>
        </form>
      </details>`;
    return sendPage(reply, deps, { title: 'Entrar', session: null, body }, extra.status ?? 200);
  };

  const codePage = (
    reply: FastifyReply,
    pre: string,
    next: string,
    phone: string,
    extra: { error?: string; status?: number } = {},
  ) => {
    const body: Html = html`<h1>Escriba el código</h1>
      ${extra.error ? html`<p class="error" role="alert">${extra.error}</p>` : ''}
      <p role="status">
        Si ${maskPhone(phone)} es un número de coordinación registrado, Ayni le envió un código de 6 cifras.
        Vence en ${CODE_TTL_MS / 60_000} minutos.
      </p>
      <form method="post" action="/console/login/verify">
        <input type="hidden" name="_pre" value="${pre}" /><input
          type="hidden"
          name="next"
          value="${next}"
        /><input type="hidden" name="phone" value="${phone}" />
        <label for="code">Código</label>
        <input
          id="code"
          name="code"
          type="text"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9 ]{6,8}"
          maxlength="8"
          required
          autofocus
        />
        <button type="submit">Entrar</button>
      </form>
      <p><a href="/console/login">Usar otro número o pedir otro código</a></p>`;
    return sendPage(reply, deps, { title: 'Código', session: null, body }, extra.status ?? 200);
  };

  const tooMany = (reply: FastifyReply, pre: string, next: string, retryAfter: number) => {
    reply.header('retry-after', String(retryAfter));
    const minutes = Math.max(1, Math.ceil(retryAfter / 60));
    return loginPage(reply, pre, next, {
      error: `Demasiados intentos. Espere ${minutes} minuto${minutes === 1 ? '' : 's'} y vuelva a probar.`,
      status: 429,
    });
  };

  const expired = (request: FastifyRequest, reply: FastifyReply) => {
    const pre = ensurePre(request, reply);
    return loginPage(reply, pre, '/console/groups', {
      error: 'El formulario venció. Vuelva a intentarlo.',
      status: 403,
    });
  };

  const signIn = async (request: FastifyRequest, reply: FastifyReply, viewer: Viewer, next: string) => {
    const { cookie } = await auth.startSession(viewer);
    reply.setCookie(SESSION_COOKIE, cookie, cookieOptions(request, SESSION_TTL_MS / 1000));
    reply.clearCookie(PRE_COOKIE, { path: '/console' });
    return reply.redirect(next, 303);
  };

  app.get('/console/login', async (request, reply) => {
    const query = request.query as { next?: string; bye?: string };
    if (await readSession(request, auth)) return reply.redirect(safeNext(query.next), 303);
    const pre = ensurePre(request, reply);
    return loginPage(reply, pre, safeNext(query.next), query.bye ? { note: 'Salió de la consola.' } : {});
  });

  app.post(
    '/console/login/code',
    { schema: bodySchema(['_pre', 'next', 'phone']) },
    async (request, reply) => {
      if (!preOk(request)) return expired(request, reply);
      const body = request.body as Record<string, unknown>;
      const pre = preToken(request) as string;
      const next = safeNext(one(body.next));
      if (!deps.canText) {
        return loginPage(reply, pre, next, {
          error:
            'No se pueden enviar códigos: este servidor no tiene Twilio configurado (TWILIO_ACCOUNT_SID y TWILIO_SMS_FROM o TWILIO_WHATSAPP_FROM). Entre con el token de administración o pida a quien administra Ayni que lo configure.',
          status: 503,
        });
      }
      const phone = normalizePhone(one(body.phone));
      if (!phone) {
        return loginPage(reply, pre, next, {
          error:
            'Ese número no parece válido. Escríbalo con +591 y los 8 dígitos, por ejemplo +591 71234567.',
          phone: one(body.phone).slice(0, 40),
          status: 400,
        });
      }
      const byAddress = await auth.limit(`code:ip:${request.ip}`, LIMITS.codesPerAddress, WINDOW_MS);
      if (!byAddress.ok) return tooMany(reply, pre, next, byAddress.retryAfter);
      const byNumber = await auth.limit(`code:phone:${learnerId(phone)}`, LIMITS.codesPerNumber, WINDOW_MS);
      if (!byNumber.ok) return tooMany(reply, pre, next, byNumber.retryAfter);

      if (await deps.coordinators.isCoordinator(phone)) {
        const code = await auth.newCode(phone);
        const session = await deps.sessions.load(learnerId(phone));
        const lang = session?.snapshot.context.lang ?? 'es';
        const text = deps.content.translator.t(lang, 'common:console_code', { code });
        await deps.outbound.send({
          dedupeKey: `console-login:${randomBytes(12).toString('hex')}`,
          // Where they last wrote from (WhatsApp inside its window), else SMS.
          to: session && !session.optedOut ? session.address : phone,
          body: spellForChannel(text, lang, 'sms', deps.content.spelling),
          smsFallback: true,
          allowUnknownRecipient: true,
        });
        request.log.info({ to: maskPhone(phone) }, 'console: login code sent');
      }
      return codePage(reply, pre, next, phone);
    },
  );

  app.post(
    '/console/login/verify',
    { schema: bodySchema(['_pre', 'next', 'phone', 'code']) },
    async (request, reply) => {
      if (!preOk(request)) return expired(request, reply);
      const body = request.body as Record<string, unknown>;
      const pre = preToken(request) as string;
      const next = safeNext(one(body.next));
      const phone = normalizePhone(one(body.phone));
      if (!phone) return loginPage(reply, pre, next, { error: 'Falta el número.', status: 400 });
      const limited = await auth.limit(`verify:ip:${request.ip}`, LIMITS.triesPerAddress, WINDOW_MS);
      if (!limited.ok) return tooMany(reply, pre, next, limited.retryAfter);
      const code = one(body.code).replace(/\s/g, '');
      const check = await auth.checkCode(phone, code);
      if (!check.ok) {
        if (check.reason === 'wrong') {
          return codePage(reply, pre, next, phone, {
            error: `Ese código no es. Le queda${check.triesLeft === 1 ? '' : 'n'} ${check.triesLeft} intento${check.triesLeft === 1 ? '' : 's'}.`,
            status: 401,
          });
        }
        return loginPage(reply, pre, next, {
          error: 'El código venció o se usaron sus 5 intentos. Pida uno nuevo.',
          phone,
          status: 401,
        });
      }
      const coordinator = await deps.coordinators.find(phone);
      if (!coordinator)
        return loginPage(reply, pre, next, { error: 'Este número ya no coordina.', status: 403 });
      return signIn(request, reply, { role: 'coordinator', phone, name: coordinator.name }, next);
    },
  );

  app.post(
    '/console/login/admin',
    { schema: bodySchema(['_pre', 'next', 'token']) },
    async (request, reply) => {
      if (!preOk(request)) return expired(request, reply);
      const body = request.body as Record<string, unknown>;
      const pre = preToken(request) as string;
      const next = safeNext(one(body.next));
      const limited = await auth.limit(`admin:ip:${request.ip}`, LIMITS.adminPerAddress, WINDOW_MS);
      if (!limited.ok) return tooMany(reply, pre, next, limited.retryAfter);
      if (!deps.adminToken) {
        return loginPage(reply, pre, next, {
          error: 'La entrada de administración está cerrada: este servidor no tiene ADMIN_TOKEN.',
          status: 503,
        });
      }
      if (!sameSecret(one(body.token), deps.adminToken)) {
        return loginPage(reply, pre, next, { error: 'Ese token no es el de administración.', status: 401 });
      }
      return signIn(request, reply, { role: 'admin', name: 'Administración' }, next);
    },
  );
}
