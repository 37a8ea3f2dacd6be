// A local stand-in for Twilio's REST API, for the real twilio client pointed at it with
// createTwilioClient({ apiUrl: fake.url }) (TWILIO_API_URL). It records every request, creates
// message resources shaped like Twilio's, and can be told to fail the next requests.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll } from 'vitest';
import { FakeContentApi } from './fake-twilio-content.js';
import { listenLocal, readBody } from './local-http.js';
import { randomSid } from './twilio-signing.js';
import { waitFor } from './wait-for.js';

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. /2010-04-01/Accounts/AC…/Messages.json */
  path: string;
  query: Record<string, string>;
  /** Form body params (first value of a repeated key; see `form` for all). */
  params: Record<string, string>;
  form: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Username from Basic auth (the account sid), if any. */
  username: string | undefined;
  /** The status the fake answered with. */
  status: number;
  /** Date.now() when it arrived. */
  receivedAt: number;
}

export interface FakeMessage {
  sid: string;
  account_sid: string;
  api_version: '2010-04-01';
  body: string;
  date_created: string;
  date_sent: null;
  date_updated: string;
  direction: 'outbound-api';
  error_code: null;
  error_message: null;
  from: string | null;
  messaging_service_sid: string | null;
  num_media: string;
  num_segments: string;
  price: null;
  price_unit: 'USD';
  status: 'queued' | 'accepted';
  subresource_uris: { media: string; feedback: string };
  to: string;
  uri: string;
}

/** A Twilio REST error body, e.g. { code: 21610, message: 'Attempt to send to unsubscribed recipient', status: 400 }. */
export interface TwilioErrorSpec {
  status: number;
  code: number;
  message: string;
  /** Extra response headers, e.g. { 'retry-after': '1' }. */
  headers?: Record<string, string>;
}

/** 429 (Twilio code 20429), 500 (20500), 21610 (400, recipient replied STOP), or a custom error. */
export type FakeFailure = 429 | 500 | 21610 | TwilioErrorSpec;

export const TWILIO_ERRORS = {
  429: { status: 429, code: 20429, message: 'Too Many Requests' },
  500: { status: 500, code: 20500, message: 'Internal Server Error' },
  21610: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
} as const satisfies Record<number, TwilioErrorSpec>;

export interface FakeTwilio {
  /** Base URL to use as TWILIO_API_URL, e.g. http://127.0.0.1:40123 */
  readonly url: string;
  /** Every request, in arrival order (failed ones too). */
  readonly requests: readonly RecordedRequest[];
  /** Messages created, in order. */
  readonly messages: readonly FakeMessage[];
  /** The Content API's resources, and what was created and removed (fake-twilio-content.ts). */
  readonly content: FakeContentApi;
  /** Answer the next `count` requests (any route) with this failure, then behave normally again. */
  failNext(count: number, failure: FakeFailure): void;
  /** Resolves once at least `count` messages have been created (default timeout 5 s). */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly FakeMessage[]>;
  /** Forget requests, messages and pending failures. */
  reset(): void;
  close(): Promise<void>;
}

export interface FakeTwilioOptions {
  /** If set, requests whose Basic auth does not match get Twilio's 401 (code 20003). */
  credentials?: { accountSid: string; authToken: string };
  /** Message sid generator; default random 'SM' + 32 hex. */
  sids?: () => string;
  /** Clock for date_created; default Date.now. */
  now?: () => Date;
}

const MESSAGES = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;
const MESSAGE =
  /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\/(SM[0-9a-fA-F]{32}|MM[0-9a-fA-F]{32})\.json$/;

export async function startFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const sids = opts.sids ?? (() => randomSid());
  const now = opts.now ?? (() => new Date());
  const requests: RecordedRequest[] = [];
  const messages: FakeMessage[] = [];
  const failures: TwilioErrorSpec[] = [];
  let lastAccount = opts.credentials?.accountSid ?? `AC${'0'.repeat(32)}`;
  const content = new FakeContentApi(() => lastAccount);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = Date.now();
    const rawBody = (await readBody(req)).toString('utf8');
    const target = new URL(req.url ?? '/', 'http://fake-twilio');
    const form = new URLSearchParams(
      (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded') ? rawBody : '',
    );
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      params: firstValues(form),
      form,
      headers: req.headers,
      username: basicAuth(req.headers.authorization)?.username,
      status: 0,
      receivedAt,
    };
    requests.push(record);

    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(body));
    };
    const fail = (e: TwilioErrorSpec): void =>
      send(e.status, errorBody(e.status, e.code, e.message), e.headers);

    const failure = failures.shift();
    if (failure) return fail(failure);

    if (opts.credentials) {
      const auth = basicAuth(req.headers.authorization);
      if (auth?.username !== opts.credentials.accountSid || auth.password !== opts.credentials.authToken) {
        return fail({ status: 401, code: 20003, message: 'Authenticate' });
      }
    }

    lastAccount = record.username ?? lastAccount;
    const contentAnswer = content.handle(record.method, record.path, record.query, rawBody);
    if (contentAnswer) return send(contentAnswer.status, contentAnswer.body);

    const list = MESSAGES.exec(record.path);
    if (list && record.method === 'POST') {
      const p = record.params;
      if (!p.To) return fail({ status: 400, code: 21604, message: "A 'To' phone number is required." });
      if (!p.From && !p.MessagingServiceSid) {
        return fail({ status: 400, code: 21603, message: "A 'From' phone number is required." });
      }
      if (!p.Body && !p.MediaUrl && !p.ContentSid) {
        return fail({ status: 400, code: 21602, message: 'Message body is required.' });
      }
      const message = createMessage(list[1] ?? '', p, sids(), now());
      messages.push(message);
      return send(201, message);
    }

    const one = MESSAGE.exec(record.path);
    if (one && record.method === 'GET') {
      const found = messages.find((m) => m.sid === one[2]);
      if (found) return send(200, found);
    }
    return fail({ status: 404, code: 20404, message: `The requested resource ${record.path} was not found` });
  };

  const server = await listenLocal(handle);
  return {
    url: server.url,
    requests,
    messages,
    content,
    failNext(count, failure) {
      const spec = typeof failure === 'number' ? TWILIO_ERRORS[failure] : failure;
      for (let i = 0; i < count; i++) failures.push(spec);
    },
    waitForMessages(count, timeoutMs = 5000) {
      return waitFor(
        `fake Twilio to create ${count} messages`,
        () => messages.length >= count && messages,
        timeoutMs,
        () => `it created ${messages.length}`,
      );
    },
    reset() {
      requests.length = 0;
      messages.length = 0;
      failures.length = 0;
      content.reset();
    },
    close: () => server.close(),
  };
}

/** A fake Twilio for a whole test file, closed after its tests: `const fake = await useFakeTwilio()`. */
export async function useFakeTwilio(opts: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const fake = await startFakeTwilio(opts);
  afterAll(() => fake.close());
  return fake;
}

function createMessage(accountSid: string, p: Record<string, string>, sid: string, at: Date): FakeMessage {
  const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
  const date = at.toUTCString().replace('GMT', '+0000'); // Twilio: RFC 2822, "Wed, 27 Nov 2024 23:30:00 +0000"
  return {
    sid,
    account_sid: accountSid,
    api_version: '2010-04-01',
    body: p.Body ?? '',
    date_created: date,
    date_sent: null,
    date_updated: date,
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: p.From ?? null,
    messaging_service_sid: p.MessagingServiceSid ?? null,
    num_media: p.MediaUrl ? '1' : '0',
    num_segments: '1',
    price: null,
    price_unit: 'USD',
    // With only a Messaging Service, Twilio accepts first and picks the sender later.
    status: p.From ? 'queued' : 'accepted',
    subresource_uris: {
      media: uri.replace(/\.json$/, '/Media.json'),
      feedback: uri.replace(/\.json$/, '/Feedback.json'),
    },
    to: p.To ?? '',
    uri,
  };
}

function errorBody(status: number, code: number, message: string) {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

function firstValues(form: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of form) if (!(key in out)) out[key] = value;
  return out;
}

function basicAuth(header: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic (.+)$/i.exec(header ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
