// Shared by the console tests: the app with a fake Twilio, and a small browser stand-in for
// app.inject (a cookie jar, form posts that carry the page's CSRF token, login through the code
// that the fake Twilio captured).
import { existsSync } from 'node:fs';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { chromium, type Browser } from 'playwright-core';
import { expect } from 'vitest';
import type { FakeTwilio } from '../support/fake-twilio.js';
import { fakeTwilioSenderEnv } from '../support/twilio-signing.js';
import { testApp } from '../http/helpers.js';

export const ADMIN_TOKEN = 'console-admin-token-of-32-characters';

/** Debian's chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless Chromium for the browser tests; `extraArgs` add to the flags every such test uses. */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      ...extraArgs,
    ],
  });
}

export function consoleEnv(
  fake: FakeTwilio | null,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ADMIN_TOKEN,
    ...(fake ? fakeTwilioSenderEnv(fake.url) : {}),
    ...extra,
  };
}

export async function consoleApp(
  url: string,
  prefix: string,
  fake: FakeTwilio | null,
  extra: Record<string, string> = {},
) {
  return testApp(url, prefix, { env: consoleEnv(fake, extra) });
}

/** The login code in the newest message the fake Twilio got for `phone` (SMS or WhatsApp). */
export async function codeSentTo(
  fake: FakeTwilio,
  phone: string,
  after = 0,
  timeoutMs = 10_000,
): Promise<string> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = fake.messages
      .slice(after)
      .filter((m) => m.to === phone || m.to === `whatsapp:${phone}`)
      .map((m) => /consola es (\d{6})/.exec(m.body)?.[1])
      .filter((c): c is string => !!c)
      .at(-1);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no login code reached ${phone}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The value of a hidden input in a page. */
export function hiddenValue(page: string, name: string): string {
  const match = new RegExp(`name="${name}"\\s+value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`no hidden ${name} in the page:\n${page.slice(0, 2000)}`);
  return match[1];
}

/** A browser's cookie jar over app.inject. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  /** the CSRF token of the last page that had one */
  csrf = '';
  /** the client's address, as the socket gives it (X-Forwarded-For is believed only with TRUST_PROXY) */
  ip = '127.0.0.1';

  constructor(private readonly app: FastifyInstance) {}

  private remember(response: LightMyRequestResponse): void {
    const raw = response.headers['set-cookie'];
    const list = Array.isArray(raw) ? raw : raw ? [raw] : [];
    for (const line of list) {
      const [pair, ...attrs] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const gone = attrs.some((a) => /^\s*max-age=0$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone || !value) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    if (response.headers['content-type']?.toString().startsWith('text/html')) {
      const token = /name="_csrf"\s+value="([^"]+)"/.exec(response.body)?.[1];
      if (token) this.csrf = token;
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return { ...(cookie ? { cookie } : {}), ...extra };
  }

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const response = await this.app.inject({
      method: 'GET',
      url,
      headers: this.headers(headers),
      remoteAddress: this.ip,
    });
    this.remember(response);
    return response;
  }

  /** A form post; `_csrf` is the last page's token unless the form says otherwise. */
  async post(
    url: string,
    form: Record<string, string | string[]>,
    options: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const params = new URLSearchParams();
    if (options.csrf !== false && !('_csrf' in form) && this.csrf) params.append('_csrf', this.csrf);
    for (const [key, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
    }
    const response = await this.app.inject({
      method: 'POST',
      url,
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...options.headers }),
      remoteAddress: this.ip,
      payload: params.toString(),
    });
    this.remember(response);
    return response;
  }

  /** A JSON call to the console API with the session cookie (and the CSRF header unless told not to). */
  async api(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    body?: unknown,
    options: { csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    const extra: Record<string, string> = {};
    if (options.csrf !== false && method !== 'GET') extra['x-csrf-token'] = this.csrf;
    if (body !== undefined) extra['content-type'] = 'application/json';
    return this.app.inject({
      method,
      url,
      headers: this.headers(extra),
      remoteAddress: this.ip,
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
  }

  /** Logs in as a coordinator with the code texted through the fake Twilio. */
  async loginWithCode(fake: FakeTwilio, phone: string): Promise<void> {
    const login = await this.get('/console/login');
    expect(login.statusCode).toBe(200);
    const before = fake.messages.length;
    const asked = await this.post('/console/login/code', { _pre: hiddenValue(login.body, '_pre'), phone });
    expect(asked.statusCode).toBe(200);
    const code = await codeSentTo(fake, phone, before);
    const done = await this.post('/console/login/verify', {
      _pre: hiddenValue(asked.body, '_pre'),
      phone,
      code,
      next: '/console/groups',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/console/groups');
    await this.get('/console/groups');
  }

  async loginAsAdmin(): Promise<void> {
    const login = await this.get('/console/login');
    const done = await this.post('/console/login/admin', {
      _pre: hiddenValue(login.body, '_pre'),
      token: ADMIN_TOKEN,
    });
    expect(done.statusCode).toBe(303);
    await this.get('/console/groups');
  }
}
