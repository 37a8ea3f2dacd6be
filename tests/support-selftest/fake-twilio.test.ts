import twilio from 'twilio';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiUrlRequestClient, createTwilioClient } from '../../src/messaging/twilio-client.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { TEST_TWILIO, sequentialSids } from '../support/twilio-signing.js';

const { accountSid, authToken } = TEST_TWILIO;

describe('fake Twilio + createTwilioClient({ apiUrl })', () => {
  let fake: FakeTwilio;
  let client: twilio.Twilio;

  beforeAll(async () => {
    fake = await startFakeTwilio({ credentials: { accountSid, authToken }, sids: sequentialSids() });
    client = createTwilioClient({ accountSid, authToken, apiUrl: fake.url });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('sends messages.create to the fake and returns its message resource', async () => {
    const message = await client.messages.create({
      to: 'whatsapp:+59171234567',
      from: TEST_TWILIO.whatsappFrom,
      body: 'Hola, ¿qué es una cooperativa?',
    });

    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message.status).toBe('queued');
    expect(message.to).toBe('whatsapp:+59171234567');
    expect(message.body).toBe('Hola, ¿qué es una cooperativa?');
    expect(message.dateCreated).toBeInstanceOf(Date);

    expect(fake.requests).toHaveLength(1);
    const [req] = fake.requests;
    expect(req?.method).toBe('POST');
    expect(req?.path).toBe(`/2010-04-01/Accounts/${accountSid}/Messages.json`);
    expect(req?.username).toBe(accountSid);
    expect(req?.params).toEqual({
      To: 'whatsapp:+59171234567',
      From: TEST_TWILIO.whatsappFrom,
      Body: 'Hola, ¿qué es una cooperativa?',
    });
    expect(fake.messages.map((m) => m.sid)).toEqual([message.sid]);
  });

  it('surfaces failNext(1, 429) as a RestException with status 429, then recovers', async () => {
    fake.failNext(1, 429);
    const error = await client.messages
      .create({ to: '+59171234567', from: TEST_TWILIO.smsFrom, body: 'x' })
      .then(
        () => undefined,
        (err: unknown) => err,
      );

    expect(error).toBeInstanceOf(twilio.RestException);
    expect(error).toMatchObject({ status: 429, code: 20429 });

    await expect(
      client.messages.create({ to: '+59171234567', from: TEST_TWILIO.smsFrom, body: 'x' }),
    ).resolves.toMatchObject({
      status: 'queued',
    });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 201]);
  });

  it('answers 21610 (unsubscribed) and 500 with Twilio error bodies', async () => {
    fake.failNext(1, 21610);
    fake.failNext(1, 500);
    const send = () => client.messages.create({ to: '+59171234567', from: TEST_TWILIO.smsFrom, body: 'x' });
    await expect(send()).rejects.toMatchObject({
      status: 400,
      code: 21610,
      moreInfo: 'https://www.twilio.com/docs/errors/21610',
    });
    await expect(send()).rejects.toMatchObject({ status: 500, code: 20500 });
  });

  it('rejects bad credentials like Twilio (401, code 20003)', async () => {
    const wrong = createTwilioClient({ accountSid, authToken: 'wrong', apiUrl: fake.url });
    await expect(
      wrong.messages.create({ to: '+59171234567', from: TEST_TWILIO.smsFrom, body: 'x' }),
    ).rejects.toMatchObject({
      status: 401,
      code: 20003,
    });
  });

  it('fetches a created message back', async () => {
    const created = await client.messages.create({
      to: '+59171234567',
      messagingServiceSid: 'MG' + '1'.repeat(32),
      body: 'x',
    });
    expect(created.status).toBe('accepted');
    const fetched = await client.messages(created.sid).fetch();
    expect(fetched.sid).toBe(created.sid);
  });
});

describe('ApiUrlRequestClient.rewrite', () => {
  it('replaces https://*.twilio.com with the base URL, keeping path and query', () => {
    const rc = new ApiUrlRequestClient('http://127.0.0.1:4010/twilio/');
    expect(rc.rewrite('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json?PageSize=50')).toBe(
      'http://127.0.0.1:4010/twilio/2010-04-01/Accounts/AC1/Messages.json?PageSize=50',
    );
    expect(rc.rewrite('https://messaging.us1.twilio.com/v1/Services')).toBe(
      'http://127.0.0.1:4010/twilio/v1/Services',
    );
    expect(rc.rewrite('https://example.com/x')).toBe('https://example.com/x');
    expect(rc.rewrite('https://nottwilio.com/x')).toBe('https://nottwilio.com/x');
  });

  it('rejects a base URL that is not http(s)', () => {
    expect(() => new ApiUrlRequestClient('ftp://fake')).toThrow(/http\(s\)/);
    expect(() => new ApiUrlRequestClient('not a url')).toThrow();
  });
});
