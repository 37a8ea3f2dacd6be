// Signing in to the console against an attacker: a code's tries are counted in the same step
// that checks it, so guesses sent all at once get no more than five answers; and the login
// answers a stranger's number exactly as it answers a coordinator's (status, words, headers and
// time), when asking for a code and when a code is wrong.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskPhone } from '../../src/privacy/phone.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { codeSentTo, consoleApp, hiddenValue } from './helpers.js';

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;

/** Coordinators +5917113xxxx; strangers +5917993xxxx (the same last digits, so the same mask). */
const coordinator = (n: number) => `+5917113${String(n).padStart(4, '0')}`;
const stranger = (n: number) => `+5917993${String(n).padStart(4, '0')}`;
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

/** What a client sees of an answer, with the number itself taken out. */
function seen(response: LightMyRequestResponse, phone: string) {
  const headers = { ...response.headers };
  delete headers.date;
  return {
    status: response.statusCode,
    headers,
    body: response.body.replaceAll(phone, '<phone>').replaceAll(maskPhone(phone), '<masked>'),
  };
}

type Who = 'coordinator' | 'stranger';
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

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

describe('a stranger’s number reads like a coordinator’s', () => {
  it('answers asking for a code, and a wrong code, with the same status, words and headers', async () => {
    const browser = await openLogin();
    const answers = [];
    for (const [i, phone] of [coordinator(0), stranger(0)].entries()) {
      const asked = await post('/console/login/code', browser, `10.32.0.${i + 1}`, { phone });
      const wrong = await post('/console/login/verify', browser, `10.32.1.${i + 1}`, {
        phone,
        code: '000000',
      });
      answers.push({ asked: seen(asked, phone), wrong: seen(wrong, phone) });
    }
    const [ofCoordinator, ofStranger] = answers;
    expect(ofCoordinator!.asked.status).toBe(200);
    expect(ofCoordinator!.wrong.status).toBe(401);
    expect(ofCoordinator!.wrong.body).toContain('Le quedan 4 intentos');
    expect(ofStranger).toEqual(ofCoordinator);
  });

  it('takes about as long for a stranger’s number as for a coordinator’s', async () => {
    // A coarse guard over HTTP (tests/console/sign-in.test.ts proves the same Redis work,
    // command for command): texting the code on the request's path made a coordinator's answer
    // take 2 to 3 times a stranger's; the factor here is generous so a busy machine cannot fail it.
    const browser = await openLogin();
    const took = {
      code: { coordinator: [] as number[], stranger: [] as number[] },
      wrong: { coordinator: [] as number[], stranger: [] as number[] },
    };
    const timed = async (path: string, ip: string, form: Record<string, string>) => {
      const start = performance.now();
      const answer = await post(path, browser, ip, form);
      const ms = performance.now() - start;
      expect(answer.statusCode).toBeLessThan(500);
      return ms;
    };
    const phoneOf = (who: Who, n: number) => (who === 'coordinator' ? coordinator(n) : stranger(n));
    const ipOf = (who: Who, n: number) => `10.33.${who === 'coordinator' ? 0 : 1}.${n}`;
    // Interleaved, each first in turn, so a busy moment of the machine falls on both alike.
    const eachInTurn = async (step: (who: Who, n: number) => Promise<void>) => {
      for (let n = 1; n <= TIMED; n++) {
        const order: Who[] = n % 2 ? ['coordinator', 'stranger'] : ['stranger', 'coordinator'];
        for (const who of order) await step(who, n);
      }
    };
    await eachInTurn(async (who, n) => {
      const before = fake.messages.length;
      took.code[who].push(await timed('/console/login/code', ipOf(who, n), { phone: phoneOf(who, n) }));
      // The next one in a quiet moment: once a coordinator's code has been texted (after the answer).
      if (who === 'coordinator') await codeSentTo(fake, phoneOf(who, n), before);
    });
    await eachInTurn(async (who, n) => {
      const form = { phone: phoneOf(who, n), code: '1234567' };
      took.wrong[who].push(await timed('/console/login/verify', ipOf(who, n), form));
    });
    for (const what of ['code', 'wrong'] as const) {
      const [c, s] = [median(took[what].coordinator), median(took[what].stranger)];
      console.log(`${what}: median ms, coordinator ${c.toFixed(2)}, stranger ${s.toFixed(2)}`);
      expect(c / s).toBeGreaterThan(1 / 3);
      expect(c / s).toBeLessThan(3);
    }
  });
});
