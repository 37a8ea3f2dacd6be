/**
 * Signing in to the console. A coordinator (or a reviewer) gets a 6-digit code texted through the bot (SMS, or
 * WhatsApp where they last wrote from); an administrator shows ADMIN_TOKEN.
 *
 * Nothing here tells who coordinates, not even by how long it takes: asking for a code stores a
 * code for any number, the same way, and answers; only afterwards (AfterReply) is it texted, if
 * the number coordinates. A stranger's number so has a code nobody receives, and a wrong code
 * gets the same "wrong, N tries left" for both. The console never logs a code nor stores one in
 * clear: Redis keeps its keyed hash (auth.ts).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { CoordinatorStore } from '../../groups/coordinator-store.js';
import { spellForChannel } from '../../i18n/sms-spelling.js';
import type { OutboundSender } from '../../messaging/outbound.js';
import type { ContentRuntime } from '../../plugins/content-runtime.js';
import { maskPhone } from '../../privacy/phone.js';
import type { ReviewerStore } from '../../store/reviewer-store.js';
import type { SessionStore } from '../../store/session-store.js';
import { sameSecret } from '../same-secret.js';
import type { AfterReply } from './after-reply.js';
import type { CodeCheck, ConsoleAuth, Viewer } from './auth.js';

export interface SignInDeps {
  auth: ConsoleAuth;
  coordinators: Pick<CoordinatorStore, 'isCoordinator' | 'find'>;
  /** reviewers sign in the same way; without the store, nobody reviews */
  reviewers?: Pick<ReviewerStore, 'isReviewer' | 'find'> | null;
  sessions: Pick<SessionStore, 'load'>;
  outbound: Pick<OutboundSender, 'send'>;
  content: Pick<ContentRuntime, 'translator' | 'spelling'>;
  adminToken: string | undefined;
  /** Twilio is configured well enough to text a code */
  canText: boolean;
  /** where the code is texted from, once the asking request has its answer */
  afterReply: Pick<AfterReply, 'run'>;
  log: Pick<FastifyBaseLogger, 'info'>;
}

export type CodeResult =
  { ok: true; viewer: Viewer } | Exclude<CodeCheck, { ok: true }> | { ok: false; reason: 'not-coordinator' };

export class SignIn {
  constructor(private readonly deps: SignInDeps) {}

  get canText(): boolean {
    return this.deps.canText;
  }

  /** Without ADMIN_TOKEN there is no administrator's way in. */
  get adminOpen(): boolean {
    return Boolean(this.deps.adminToken);
  }

  /** A new code for any number; texted after the answer, and only if the number coordinates. */
  async sendCode(phone: string): Promise<void> {
    const code = await this.deps.auth.newCode(phone);
    this.deps.afterReply.run('texting a login code', () => this.textCode(phone, code));
  }

  private async textCode(phone: string, code: string): Promise<void> {
    const coordinates = await this.deps.coordinators.isCoordinator(phone);
    if (!coordinates && !(await this.deps.reviewers?.isReviewer(phone))) return;
    const { translator, spelling } = this.deps.content;
    const session = await this.deps.sessions.load(this.deps.auth.idOf(phone));
    const lang = session?.snapshot.context.lang ?? 'es';
    const text = translator.t(lang, 'common:console_code', { code });
    await this.deps.outbound.send({
      dedupeKey: `console-login:${randomBytes(12).toString('hex')}`,
      // Where they last wrote from (WhatsApp inside its window), else SMS.
      to: session && !session.optedOut ? session.address : phone,
      body: spellForChannel(text, lang, 'sms', spelling),
      smsFallback: true,
      allowUnknownRecipient: true,
      // The code waits in the queue sealed, never in clear.
      secret: true,
    });
    this.deps.log.info({ to: maskPhone(phone) }, 'console: login code sent');
  }

  /** Uses one try of the code; a right code of a number that still coordinates signs them in. */
  async checkCode(phone: string, code: string): Promise<CodeResult> {
    const check = await this.deps.auth.checkCode(phone, code);
    if (!check.ok) return check;
    const coordinator = await this.deps.coordinators.find(phone);
    if (coordinator) return { ok: true, viewer: { role: 'coordinator', phone, name: coordinator.name } };
    const reviewer = await this.deps.reviewers?.find(phone);
    if (reviewer) return { ok: true, viewer: { role: 'reviewer', ...reviewer } };
    return { ok: false, reason: 'not-coordinator' };
  }

  /** The administrator, if `token` is ADMIN_TOKEN. */
  admin(token: string): Viewer | null {
    const expected = this.deps.adminToken;
    return expected && sameSecret(token, expected) ? { role: 'admin', name: 'Administración' } : null;
  }
}
