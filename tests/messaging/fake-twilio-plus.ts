// The shared fake Twilio (tests/support/fake-twilio.ts) with what the outbound tests also need,
// added in front of it rather than inside it:
// - GET …/Messages.json (the message list, newest first, filtered by To and From), which the
//   sender's reconciliation calls and the shared fake does not serve;
// - the time each message was created, for the pacing test;
// - holding a request in flight (before or after the fake creates the message), so a test can
//   kill a worker while its send is open.
// Everything else is proxied unchanged to the shared fake.
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeTwilio, type FakeMessage, type FakeTwilio } from '../support/fake-twilio.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';

export interface HoldRule {
  /** the To of the requests to hold */
  to: string;
  /** 'before': the fake never sees the request; 'after': the message is created, the answer never comes */
  when: 'before' | 'after';
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
  const target = new URL(fake.url);
  let rules: HoldRule[] = [];
  const held: string[] = [];
  const heldResponses = new Set<ServerResponse>();
  let listRequests = 0;
  const waiters = new Set<() => void>();

  const forward = (
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 500, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const holdForever = (res: ServerResponse, to: string): void => {
    held.push(to);
    heldResponses.add(res);
    res.on('close', () => heldResponses.delete(res));
    for (const wake of waiters) wake();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
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
        if (rule.when === 'before') return holdForever(res, to);
        await forward(req, body);
        return holdForever(res, to);
      }
    }
    const answer = await forward(req, body);
    res.writeHead(answer.status, { 'content-type': answer.headers['content-type'] ?? 'application/json' });
    res.end(answer.body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    fake,
    createdAt,
    held,
    get listRequests() {
      return listRequests;
    },
    hold(next) {
      rules = [...rules, ...next];
    },
    waitForHeld(count, timeoutMs = 5_000) {
      if (held.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Twilio+: expected ${count} held requests, got ${held.length}`));
        }, timeoutMs);
        const check = (): void => {
          if (held.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    reset() {
      fake.reset();
      createdAt.length = 0;
      held.length = 0;
      rules = [];
      listRequests = 0;
      for (const res of heldResponses) res.destroy();
    },
    async close() {
      for (const res of heldResponses) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await fake.close();
    },
  };
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
