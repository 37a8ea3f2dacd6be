// What reaches /twilio/messages that Twilio did not send, or not in Twilio's shape: a bad or
// missing signature is a 403, a malformed body a 4xx (never a 5xx), and neither changes anything
// in Redis. Plus the health routes.
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { randomSid, signTwilioRequest, TEST_TWILIO, twilioForm } from '../support/twilio-signing.js';
import {
  bolivianNumber,
  injectTransport,
  Learner,
  PUBLIC_URL,
  rawSession,
  useTestApp,
  WEBHOOK_PATH,
  WEBHOOK_URL,
} from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const app = await useTestApp(url, prefix);

const FORM = 'application/x-www-form-urlencoded';

async function post(headers: Record<string, string>, payload: string | Buffer) {
  const response = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers, payload });
  return { status: response.statusCode, body: response.body };
}

/** Every key under this file's prefix with its serialized value (DUMP), to prove a request changed nothing. */
async function dumpPrefix(): Promise<Record<string, string | null>> {
  const out: Record<string, string | null> = {};
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of keys) out[key] = (await redis.dumpBuffer(key))?.toString('hex') ?? null;
  } while (cursor !== '0');
  return out;
}

/** A learner who has chosen Spanish and sits at the menu, where "1" would move them on. */
async function learnerAtMenu(): Promise<Learner> {
  const learner = new Learner(bolivianNumber(), injectTransport(app));
  await learner.sendAll('Hola', '1');
  return learner;
}

interface Forgery {
  name: string;
  make(params: Record<string, string>): { headers: Record<string, string>; payload: string };
}

const FORGERIES: Forgery[] = [
  {
    name: 'signed with the wrong auth token',
    make: (params) => ({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': signTwilioRequest('not-the-auth-token', WEBHOOK_URL, params),
      },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'without a signature',
    make: (params) => ({ headers: { 'content-type': FORM }, payload: twilioForm(params) }),
  },
  {
    name: 'with an empty signature',
    make: (params) => ({
      headers: { 'content-type': FORM, 'x-twilio-signature': '' },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'signed for another host',
    make: (params) => ({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': signTwilioRequest(
          TEST_TWILIO.authToken,
          `https://evil.test${WEBHOOK_PATH}`,
          params,
        ),
      },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'signed for another path',
    make: (params) => ({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': signTwilioRequest(TEST_TWILIO.authToken, `${PUBLIC_URL}/twilio/status`, params),
      },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'signed over a different Body',
    make: (params) => ({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': signTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, { ...params, Body: '2' }),
      },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'signed over a different From',
    make: (params) => ({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': signTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, {
          ...params,
          From: '+59170000000',
        }),
      },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'with a parameter added after signing',
    make: (params) => ({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': signTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, params),
      },
      payload: `${twilioForm(params)}&Extra=1`,
    }),
  },
];

describe('a request without a valid Twilio signature', () => {
  it.each(FORGERIES)('$name is refused with 403 and changes nothing for a known learner', async (forgery) => {
    const learner = await learnerAtMenu();
    const before = await rawSession(redis, prefix, learner.phone);
    expect(before).not.toBeNull();

    const { headers, payload } = forgery.make(learner.params('1'));
    const response = await post(headers, payload);
    expect(response.status).toBe(403);
    expect(response.body).not.toContain('<Message>');
    expect(await rawSession(redis, prefix, learner.phone)).toBe(before);

    // The same message, properly signed, is then handled: the forged one left no trace behind.
    const genuine = await learner.send('1');
    expect(genuine.status).toBe(200);
    expect(await rawSession(redis, prefix, learner.phone)).not.toBe(before);
  });

  it.each(FORGERIES)('$name is refused with 403 and creates nothing for a new number', async (forgery) => {
    const phone = bolivianNumber();
    const learner = new Learner(phone, injectTransport(app));
    const before = await dumpPrefix();
    expect(await rawSession(redis, prefix, phone)).toBeNull();

    const { headers, payload } = forgery.make(learner.params('Hola'));
    const response = await post(headers, payload);
    expect(response.status).toBe(403);
    expect(await rawSession(redis, prefix, phone)).toBeNull();
    expect(await dumpPrefix()).toEqual(before);
  });
});

/** A signature that is valid for exactly these params (arrays for repeated keys). */
function signFor(params: Record<string, string | string[]>): string {
  return twilio.getExpectedTwilioSignature(
    TEST_TWILIO.authToken,
    WEBHOOK_URL,
    params as Record<string, string>,
  );
}

interface Malformed {
  name: string;
  make(params: Record<string, string>): { headers: Record<string, string>; payload: string };
}

const MALFORMED: Malformed[] = [
  {
    name: 'no From',
    make: ({ From: _from, ...params }) => ({
      headers: { 'content-type': FORM, 'x-twilio-signature': signFor(params) },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'no MessageSid',
    make: ({ MessageSid: _sid, ...params }) => ({
      headers: { 'content-type': FORM, 'x-twilio-signature': signFor(params) },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'a MessageSid that is not a Twilio sid',
    make: (params) => {
      const bad = { ...params, MessageSid: 'SM-not-a-sid' };
      return {
        headers: { 'content-type': FORM, 'x-twilio-signature': signFor(bad) },
        payload: twilioForm(bad),
      };
    },
  },
  {
    name: 'a From that is not a phone number (messenger:123)',
    make: (params) => {
      const bad = { ...params, From: 'messenger:123' };
      return {
        headers: { 'content-type': FORM, 'x-twilio-signature': signFor(bad) },
        payload: twilioForm(bad),
      };
    },
  },
  {
    name: 'a From with letters (whatsapp:+591abc)',
    make: (params) => {
      const bad = { ...params, From: 'whatsapp:+591abc' };
      return {
        headers: { 'content-type': FORM, 'x-twilio-signature': signFor(bad) },
        payload: twilioForm(bad),
      };
    },
  },
  {
    name: 'Body twice',
    make: (params) => ({
      headers: {
        'content-type': FORM,
        'x-twilio-signature': signFor({ ...params, Body: [params.Body ?? '', '2'] }),
      },
      payload: `${twilioForm(params)}&Body=2`,
    }),
  },
  {
    name: 'a 100 KB Body',
    make: (params) => {
      const big = { ...params, Body: 'ZEBRA '.repeat(17_100) };
      return {
        headers: { 'content-type': FORM, 'x-twilio-signature': signFor(big) },
        payload: twilioForm(big),
      };
    },
  },
  {
    name: 'a Body longer than any SMS or WhatsApp message (5,000 characters)',
    make: (params) => {
      const long = { ...params, Body: 'a'.repeat(5_000) };
      return {
        headers: { 'content-type': FORM, 'x-twilio-signature': signFor(long) },
        payload: twilioForm(long),
      };
    },
  },
  {
    // Twilio posts messaging webhooks form-encoded only; a JSON body it signs differently (bodySHA256).
    name: 'a JSON body (application/json)',
    make: (params) => ({
      headers: { 'content-type': 'application/json', 'x-twilio-signature': signFor(params) },
      payload: JSON.stringify(params),
    }),
  },
  {
    name: 'a form sent as text/plain',
    make: (params) => ({
      headers: { 'content-type': 'text/plain', 'x-twilio-signature': signFor(params) },
      payload: twilioForm(params),
    }),
  },
  {
    name: 'an empty body',
    make: () => ({ headers: { 'content-type': FORM, 'x-twilio-signature': signFor({}) }, payload: '' }),
  },
  {
    // '%E0%A4%A' is a cut-off escape: no UTF-8 encoder, Twilio's included, produces it. Signed over
    // the literal text, the only reading under which the signature could match.
    name: "invalid percent-encoding in Body ('%E0%A4%A')",
    make: (params) => {
      const signed = { ...params, Body: '%E0%A4%A' };
      return {
        headers: { 'content-type': FORM, 'x-twilio-signature': signFor(signed) },
        payload: twilioForm({ ...params, Body: 'PLACEHOLDER' }).replace('Body=PLACEHOLDER', 'Body=%E0%A4%A'),
      };
    },
  },
];

describe('a validly signed request that is not a Twilio message', () => {
  it.each(MALFORMED)('$name gets a 4xx and changes nothing', async (malformed) => {
    const learner = await learnerAtMenu();
    const before = await dumpPrefix();

    const { headers, payload } = malformed.make(learner.params('1', randomSid()));
    const response = await post(headers, payload);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.body).not.toContain('<Message>');
    expect(await dumpPrefix()).toEqual(before);
  });

  it('the form as Twilio sends it, with a charset, is accepted (the cases above fail for their flaw only)', async () => {
    const learner = await learnerAtMenu();
    const params = learner.params('1');
    const response = await post(
      { 'content-type': `${FORM}; charset=UTF-8`, 'x-twilio-signature': signFor(params) },
      twilioForm(params),
    );
    expect(response.status).toBe(200);
    expect(response.body).toContain('<Message>');
  });

  it('a From on WhatsApp and SMS alike is one learner (the same session key)', async () => {
    const phone = bolivianNumber();
    const sms = new Learner(phone, injectTransport(app));
    const whatsapp = new Learner(`whatsapp:${phone}`, injectTransport(app));
    await sms.sendAll('Hola');
    await whatsapp.sendAll('1');
    const session = JSON.parse((await rawSession(redis, prefix, phone)) ?? 'null') as { turns: number };
    expect(session.turns).toBe(2);
  });
});

describe('POST /twilio/status (delivery callbacks)', () => {
  const STATUS_URL = `${PUBLIC_URL}/twilio/status`;
  const callback = () => ({
    MessageSid: randomSid(),
    MessageStatus: 'delivered',
    AccountSid: TEST_TWILIO.accountSid,
    To: '+59171234567',
    From: TEST_TWILIO.smsFrom,
    ApiVersion: '2010-04-01',
  });
  const postStatus = async (headers: Record<string, string>, payload: string) => {
    const response = await app.inject({ method: 'POST', url: '/twilio/status', headers, payload });
    return response.statusCode;
  };

  it.each([
    ['without a signature', (_params: Record<string, string>) => ({})],
    [
      'signed with the wrong auth token',
      (params: Record<string, string>) => ({
        'x-twilio-signature': signTwilioRequest('not-the-auth-token', STATUS_URL, params),
      }),
    ],
    [
      'signed for the messages route',
      (params: Record<string, string>) => ({
        'x-twilio-signature': signTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, params),
      }),
    ],
  ])('%s is refused with 403 and changes nothing', async (_name, sign) => {
    const params = callback();
    const before = await dumpPrefix();
    const status = await postStatus({ 'content-type': FORM, ...sign(params) }, twilioForm(params));
    expect(status).toBe(403);
    expect(await dumpPrefix()).toEqual(before);
  });

  it('a signed callback is accepted', async () => {
    const params = callback();
    const status = await postStatus(
      {
        'content-type': FORM,
        'x-twilio-signature': signTwilioRequest(TEST_TWILIO.authToken, STATUS_URL, params),
      },
      twilioForm(params),
    );
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(300);
  });
});

describe('health', () => {
  it('GET /healthz answers 200', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz answers 200 while Redis is reachable', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
  });
});
