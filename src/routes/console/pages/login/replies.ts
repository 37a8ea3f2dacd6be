/**
 * How the login pages answer: the number page, the code page, 429 once a limit is used up, the
 * "form expired" page when the double-submit token is missing, and the redirect that starts a
 * session.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_TTL_MS, type Viewer } from '../../auth.js';
import type { ConsoleContext } from '../../context.js';
import type { Limit } from '../../limits.js';
import { cookieOptions, SESSION_COOKIE } from '../../session-cookie.js';
import { field } from '../../ui/form.js';
import { sendPage } from '../../ui/respond.js';
import { ensurePreToken, PRE_COOKIE, preToken, preTokenMatches } from './pre-token.js';
import { codeBody, loginBody, type LoginForm } from './view.js';

/** Only a path inside the console: never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console\/[A-Za-z0-9/_\-?=&.%]*$/.test(next) && !next.startsWith('//')
    ? next
    : '/console/groups';
}

export class LoginReplies {
  constructor(private readonly context: ConsoleContext) {}

  loginPage(reply: FastifyReply, form: Parameters<typeof loginBody>[0], status = 200): FastifyReply {
    const body = loginBody(form, this.context.signIn.canText);
    return sendPage(reply, this.context.assets, { title: 'Entrar', session: null, body }, status);
  }

  codePage(reply: FastifyReply, form: LoginForm & { phone: string }, status = 200): FastifyReply {
    return sendPage(
      reply,
      this.context.assets,
      { title: 'Código', session: null, body: codeBody(form) },
      status,
    );
  }

  /** Counts one hit of `limit`: the login page with 429 once it is used up, else null. */
  async limited(request: FastifyRequest, reply: FastifyReply, form: LoginForm, limit: Limit) {
    const check = await limit(request);
    if (check.ok) return null;
    reply.header('retry-after', String(check.retryAfter));
    const minutes = Math.max(1, Math.ceil(check.retryAfter / 60));
    const error = `Demasiados intentos. Espere ${minutes} minuto${minutes === 1 ? '' : 's'} y vuelva a probar.`;
    return this.loginPage(reply, { ...form, error }, 429);
  }

  /** The form's token and where it leads, or null once the "form expired" page is sent. */
  formOf(request: FastifyRequest, reply: FastifyReply): LoginForm | null {
    if (preTokenMatches(request)) {
      return { pre: preToken(request) as string, next: safeNext(field(request.body, 'next')) };
    }
    const pre = ensurePreToken(request, reply);
    const error = 'El formulario venció. Vuelva a intentarlo.';
    this.loginPage(reply, { pre, next: '/console/groups', error }, 403);
    return null;
  }

  async startSession(request: FastifyRequest, reply: FastifyReply, viewer: Viewer, next: string) {
    const { cookie } = await this.context.auth.startSession(viewer);
    reply.setCookie(SESSION_COOKIE, cookie, cookieOptions(request, SESSION_TTL_MS / 1000));
    reply.clearCookie(PRE_COOKIE, { path: '/console' });
    return reply.redirect(next, 303);
  }
}
