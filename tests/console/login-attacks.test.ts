// Signing in to the console against an attacker: a code's tries are counted in the same step
// that checks it, so guesses sent all at once get no more than five answers.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { codeSentTo, consoleApp, hiddenValue } from './helpers.js';

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;

/** Coordinators +5917113xxxx; strangers +5917993xxxx (the same last digits, so the same mask). */
const coordinator = (n: number) => `+5917113${String(n).padStart(4, '0')}`;
const TIMED = 30;
/** where the right code stands among 40 guesses; each round has its own coordinator, 100 + it */
const GUESSED = [26, 40];

beforeAll(async () => {
  fake = await startFakeTwilio();
  // Codes texted at once, not paced at one SMS a second, so the timed requests need not wait.
  app = await consoleApp(url, prefix, fake, { SMS_RATE_PER_SECOND: '200' });
  for (const n of [...Array(TIMED + 1).keys(), ...GUESSED.map((p) => 100 + p)])
    await app.coordinators.register(coordinator(n), `Coordinadora ${n}`);
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

/** A browser that opened the login page: its double-submit cookie and token. */
async function openLogin(): Promise<{ cookie: string; pre: string }> {
  const page = await app.inject({ method: 'GET', url: '/console/login' });
  const set = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
  const cookie = set.map((c) => c.split(';')[0]!).find((c) => c.startsWith('ayni_console_pre='));
  if (!cookie) throw new Error('no double-submit cookie');
  return { cookie, pre: hiddenValue(page.body, '_pre') };
}

/** A login form posted from `ip` (each its own client address, so no per-address limit is shared). */
function post(
  path: string,
  browser: { cookie: string; pre: string },
  ip: string,
  form: Record<string, string>,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: path,
    remoteAddress: ip,
    headers: { cookie: browser.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _pre: browser.pre, next: '/console/groups', ...form }).toString(),
  });
}

describe('guessing a code with many tries at once', () => {
  it.each(GUESSED)(
    'evaluates at most 5 of 40 concurrent tries: the right code sent as number %i does not sign in',
    async (position) => {
      const phone = coordinator(100 + position);
      const browser = await openLogin();
      const before = fake.messages.length;
      expect((await post('/console/login/code', browser, '10.30.0.1', { phone })).statusCode).toBe(200);
      const code = await codeSentTo(fake, phone, before);
      const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      const tries = Array.from({ length: 40 }, (_, i) => (i + 1 === position ? code : wrong(i)));
      const answers = await Promise.all(
        tries.map((guess, i) =>
          post('/console/login/verify', browser, `10.31.${position}.${i + 1}`, { phone, code: guess }),
        ),
      );
      const signedIn = answers.filter((a) => a.statusCode === 303);
      const evaluated = answers.filter((a) => a.statusCode === 303 || a.body.includes('Ese código no es'));
      expect(signedIn).toHaveLength(0);
      expect(evaluated).toHaveLength(5);
      expect(answers[position - 1]!.body).toContain('Pida uno nuevo');
    },
  );
});
