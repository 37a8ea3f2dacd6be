/**
 * Signing in to the console. A coordinator gets a 6-digit code texted through the bot (SMS, or
 * WhatsApp where they last wrote from); an administrator shows ADMIN_TOKEN. Nothing here says
 * whether a number coordinates: the login page answers the same either way.
 */
import { randomBytes } from 'node:crypto';
import type { CoordinatorStore } from '../../groups/coordinator-store.js';
import { spellForChannel } from '../../i18n/sms-spelling.js';
import type { OutboundSender } from '../../messaging/outbound.js';
import type { ContentRuntime } from '../../plugins/content-runtime.js';
import type { SessionStore } from '../../store/session-store.js';
import { sameSecret } from '../same-secret.js';
import type { CodeCheck, ConsoleAuth, Viewer } from './auth.js';

export interface SignInDeps {
  auth: ConsoleAuth;
  coordinators: Pick<CoordinatorStore, 'isCoordinator' | 'find'>;
  sessions: Pick<SessionStore, 'load'>;
  outbound: Pick<OutboundSender, 'send'>;
  content: Pick<ContentRuntime, 'translator' | 'spelling'>;
  adminToken: string | undefined;
  /** Twilio is configured well enough to text a code */
  canText: boolean;
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

  /** Texts a new code if `phone` coordinates; answers whether it did. */
  async sendCode(phone: string): Promise<boolean> {
    if (!(await this.deps.coordinators.isCoordinator(phone))) return false;
    const { translator, spelling } = this.deps.content;
    const code = await this.deps.auth.newCode(phone);
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
    });
    return true;
  }

  /** Uses one try of the code; a right code of a number that still coordinates signs them in. */
  async checkCode(phone: string, code: string): Promise<CodeResult> {
    const check = await this.deps.auth.checkCode(phone, code);
    if (!check.ok) return check;
    const coordinator = await this.deps.coordinators.find(phone);
    if (!coordinator) return { ok: false, reason: 'not-coordinator' };
    return { ok: true, viewer: { role: 'coordinator', phone, name: coordinator.name } };
  }

  /** The administrator, if `token` is ADMIN_TOKEN. */
  admin(token: string): Viewer | null {
    const expected = this.deps.adminToken;
    return expected && sameSecret(token, expected) ? { role: 'admin', name: 'Administración' } : null;
  }
}
