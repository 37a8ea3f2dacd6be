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

/** A signature that is valid for exactly these params (arrays for repeated keys). */
function signFor(params: Record<string, string | string[]>): string {
  return twilio.getExpectedTwilioSignature(
    TEST_TWILIO.authToken,
    WEBHOOK_URL,
    params as Record<string, string>,
  );
}

/** A POST of `payload` as `contentType` (a form unless said), with this signature if one is given. */
function form(payload: string, signature?: string, contentType = FORM): PostRequest {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (signature !== undefined) headers['x-twilio-signature'] = signature;
  return { headers, payload };
}

/** These params form-encoded, signed over exactly them: what Twilio would send, had it sent them. */
function signedForm(params: Record<string, string>): PostRequest {
  return form(twilioForm(params), signFor(params));
}

interface PostRequest {
  headers: Record<string, string>;
  payload: string;
}

/** A way to turn a learner's genuine message params into a request to post. */
interface RequestCase {
  name: string;
  make(params: Record<string, string>): PostRequest;
}

const FORGERIES: RequestCase[] = [
  {
    name: 'signed with the wrong auth token',
    make: (params) => form(twilioForm(params), signTwilioRequest('not-the-auth-token', WEBHOOK_URL, params)),
  },
  {
    name: 'without a signature',
    make: (params) => form(twilioForm(params)),
  },
  {
    name: 'with an empty signature',
    make: (params) => form(twilioForm(params), ''),
  },
  {
    name: 'signed for another host',
    make: (params) =>
      form(
        twilioForm(params),
        signTwilioRequest(TEST_TWILIO.authToken, `https://evil.test${WEBHOOK_PATH}`, params),
      ),
  },
  {
    name: 'signed for another path',
    make: (params) =>
      form(
        twilioForm(params),
        signTwilioRequest(TEST_TWILIO.authToken, `${PUBLIC_URL}/twilio/status`, params),
      ),
  },
  {
    name: 'signed over a different Body',
    make: (params) => form(twilioForm(params), signFor({ ...params, Body: '2' })),
  },
  {
    name: 'signed over a different From',
    make: (params) => form(twilioForm(params), signFor({ ...params, From: '+59170000000' })),
  },
  {
    name: 'with a parameter added after signing',
    make: (params) => form(`${twilioForm(params)}&Extra=1`, signFor(params)),
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

const MALFORMED: RequestCase[] = [
  {
    name: 'no From',
    make: ({ From: _from, ...params }) => signedForm(params),
  },
  {
    name: 'no MessageSid',
    make: ({ MessageSid: _sid, ...params }) => signedForm(params),
  },
  {
    name: 'a MessageSid that is not a Twilio sid',
    make: (params) => signedForm({ ...params, MessageSid: 'SM-not-a-sid' }),
  },
  {
    name: 'a From that is not a phone number (messenger:123)',
    make: (params) => signedForm({ ...params, From: 'messenger:123' }),
  },
  {
    name: 'a From with letters (whatsapp:+591abc)',
    make: (params) => signedForm({ ...params, From: 'whatsapp:+591abc' }),
  },
  {
    name: 'Body twice',
    make: (params) =>
      form(`${twilioForm(params)}&Body=2`, signFor({ ...params, Body: [params.Body ?? '', '2'] })),
  },
  {
    name: 'a 100 KB Body',
    make: (params) => signedForm({ ...params, Body: 'ZEBRA '.repeat(17_100) }),
  },
  {
    name: 'a Body longer than any SMS or WhatsApp message (5,000 characters)',
    make: (params) => signedForm({ ...params, Body: 'a'.repeat(5_000) }),
  },
  {
    // Twilio posts messaging webhooks form-encoded only; a JSON body it signs differently (bodySHA256).
    name: 'a JSON body (application/json)',
    make: (params) => form(JSON.stringify(params), signFor(params), 'application/json'),
  },
  {
    name: 'a form sent as text/plain',
    make: (params) => form(twilioForm(params), signFor(params), 'text/plain'),
  },
  {
    name: 'an empty body',
    make: () => form('', signFor({})),
  },
  {
    // '%E0%A4%A' is a cut-off escape: no UTF-8 encoder, Twilio's included, produces it. Signed over
    // the literal text, the only reading under which the signature could match.
    name: "invalid percent-encoding in Body ('%E0%A4%A')",
    make: (params) =>
      form(
        twilioForm({ ...params, Body: 'PLACEHOLDER' }).replace('Body=PLACEHOLDER', 'Body=%E0%A4%A'),
        signFor({ ...params, Body: '%E0%A4%A' }),
      ),
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
