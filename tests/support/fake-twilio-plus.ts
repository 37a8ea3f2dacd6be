// The shared fake Twilio (fake-twilio.ts) with what the outbound tests also need,
// added in front of it rather than inside it:
// - GET …/Messages.json (the message list, newest first, filtered by To and From), which the
//   sender's reconciliation calls and the shared fake does not serve;
// - the time each message was created, for the pacing test;
// - holding a request in flight (before or after the fake creates the message), so a test can
//   kill a worker while its send is open.
// Everything else is proxied unchanged to the shared fake.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll } from 'vitest';
import { startFakeTwilio, type FakeMessage, type FakeTwilio } from './fake-twilio.js';
import { listenLocal, readBody, Relay, type HoldWhen } from './local-http.js';
import { TEST_TWILIO } from './twilio-signing.js';
import { waitFor } from './wait-for.js';

export interface HoldRule {
  /** the To of the requests to hold */
  to: string;
  /** 'before': the fake never sees the request; 'after': the message is created, the answer never comes */
  when: HoldWhen;
}

export interface FakeTwilioPlus {
  /** TWILIO_API_URL for the code under test */
  readonly url: string;
  readonly fake: FakeTwilio;
  /** Date.now() at which each message was created, in order (same index as fake.messages) */
  readonly createdAt: readonly number[];
  /** requests being held now, by To */
  readonly held: readonly string[];
  /** list requests served */
  readonly listRequests: number;
  hold(rules: HoldRule[]): void;
  /** Resolves once `count` requests are being held. */
  waitForHeld(count: number, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

const LIST = /^\/2010-04-01\/Accounts\/(AC[0-9a-fA-F]{32})\/Messages\.json$/;

export async function startFakeTwilioPlus(): Promise<FakeTwilioPlus> {
  const createdAt: number[] = [];
  const fake = await startFakeTwilio({
    credentials: { accountSid: TEST_TWILIO.accountSid, authToken: TEST_TWILIO.authToken },
    now: () => {
      const now = Date.now();
      createdAt.push(now);
      return new Date(now);
    },
  });
  const relay = new Relay(fake.url);
  let rules: HoldRule[] = [];
  const held: string[] = [];
  let listRequests = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const url = new URL(req.url ?? '/', 'http://fake');

    if (req.method === 'GET' && LIST.test(url.pathname)) {
      listRequests++;
      return list(res, fake.messages, url.searchParams, url.pathname);
    }
    if (req.method === 'POST') {
      const to = new URLSearchParams(body.toString('utf8')).get('To') ?? '';
      const rule = rules.find((r) => r.to === to);
      if (rule) {
        rules = rules.filter((r) => r !== rule); // hold once
        await relay.pass(req, res, body, rule.when);
        held.push(to);
        return;
      }
    }
    return relay.pass(req, res, body);
  };

  const server = await listenLocal(handle, 502);

  return {
    url: server.url,
    fake,
    createdAt,
    held,
    get listRequests() {
      return listRequests;
    },
    hold(next) {
      rules = [...rules, ...next];
    },
    async waitForHeld(count, timeoutMs = 5_000) {
      await waitFor(
        `fake Twilio+ to hold ${count} requests`,
        () => held.length >= count,
        timeoutMs,
        () => `it holds ${held.length}`,
      );
    },
    reset() {
      fake.reset();
      createdAt.length = 0;
      held.length = 0;
      rules = [];
      listRequests = 0;
      relay.releaseAll();
    },
    async close() {
      relay.releaseAll();
      await server.close();
      await fake.close();
    },
  };
}

/** For a whole test file, closed after its tests: `const twilio = await useFakeTwilioPlus()`. */
export async function useFakeTwilioPlus(): Promise<FakeTwilioPlus> {
  const twilio = await startFakeTwilioPlus();
  afterAll(() => twilio.close());
  return twilio;
}

/** Twilio's list page: newest first, To / From filters, PageSize; one page is enough here. */
function list(
  res: ServerResponse,
  messages: readonly FakeMessage[],
  query: URLSearchParams,
  path: string,
): void {
  const to = query.get('To');
  const from = query.get('From');
  const pageSize = Number(query.get('PageSize') ?? '50');
  const found = [...messages]
    .reverse()
    .filter((m) => (!to || m.to === to) && (!from || m.from === from))
    .slice(0, pageSize);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(
    JSON.stringify({
      messages: found,
      end: found.length - 1,
      first_page_uri: `${path}?PageSize=${pageSize}&Page=0`,
      next_page_uri: null,
      page: 0,
      page_size: pageSize,
      previous_page_uri: null,
      start: 0,
      uri: `${path}?PageSize=${pageSize}&Page=0`,
    }),
  );
}
