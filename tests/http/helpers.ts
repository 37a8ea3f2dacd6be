// Shared by the over-HTTP tests: the app's config for a test, signed webhooks sent either with
// app.inject or over a real socket, TwiML parsing, and the texts a learner should see.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { buildApp } from '../../src/app.js';
import { DEVELOPMENT_ID_SECRET, loadConfig, type Config } from '../../src/config.js';
import type { Language } from '../../src/content/locale-schema.js';
import { spellForChannel } from '../../src/i18n/sms-spelling.js';
import type { PersonIds } from '../../src/privacy/person-ids.js';
import { parseAddress } from '../../src/privacy/phone.js';
import { Keyspace } from '../../src/store/keyspace.js';
import type { SessionRecord } from '../../src/store/session-store.js';
import { realContent } from '../support/content.js';
import { learnerId } from '../support/person-ids.js';
import {
  inboundParams,
  randomSid,
  signedTwilioRequest,
  TEST_TWILIO,
  type SidGenerator,
} from '../support/twilio-signing.js';

export const PUBLIC_URL = 'https://ayni.test';
export const WEBHOOK_PATH = '/twilio/messages';
export const WEBHOOK_URL = PUBLIC_URL + WEBHOOK_PATH;

/** The environment for src/config.ts, also used for child processes. */
export function testEnv(redisUrl: string, prefix: string, extra: Record<string, string> = {}) {
  return {
    PUBLIC_URL,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    // A token needs an ID_SECRET (src/config.ts); the tests' ids are the development ones.
    ID_SECRET: DEVELOPMENT_ID_SECRET,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

export function testConfig(redisUrl: string, prefix: string, extra: Record<string, string> = {}): Config {
  return loadConfig(testEnv(redisUrl, prefix, extra));
}

export interface TestAppOptions {
  clock?: () => number;
  logStream?: NodeJS.WritableStream;
  /** more environment for src/config.ts */
  env?: Record<string, string>;
  /** the ids of people, when not those of ID_SECRET (the id migration's test) */
  personIds?: PersonIds;
}

/** The real app on the real course, as server.ts builds it. */
export async function testApp(
  redisUrl: string,
  prefix: string,
  options: TestAppOptions = {},
): Promise<FastifyInstance> {
  return buildApp({
    config: testConfig(redisUrl, prefix, options.env),
    runtime: realContent(),
    clock: options.clock,
    logStream: options.logStream,
    personIds: options.personIds,
  });
}

/**
 * The app for a whole test file, closed after its tests: `const app = await useTestApp(url, prefix)`
 * at the top of the file builds it while the file loads.
 */
export async function useTestApp(
  redisUrl: string,
  prefix: string,
  options: TestAppOptions = {},
): Promise<FastifyInstance> {
  const app = await testApp(redisUrl, prefix, options);
  afterAll(() => app.close());
  return app;
}

export interface HttpReply {
  status: number;
  body: string;
  contentType: string;
}

/** Sends a signed webhook (headers + form payload) and returns what came back. */
export type Transport = (request: { headers: Record<string, string>; payload: string }) => Promise<HttpReply>;

export function injectTransport(app: FastifyInstance): Transport {
  return async ({ headers, payload }) => {
    const response = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers, payload });
    return {
      status: response.statusCode,
      body: response.body,
      contentType: String(response.headers['content-type'] ?? ''),
    };
  };
}

/** Over a real socket with fetch; `timeoutMs` bounds the whole request. */
export function fetchTransport(baseUrl: string, timeoutMs = 10_000): Transport {
  return async ({ headers, payload }) => {
    const response = await fetch(baseUrl + WEBHOOK_PATH, {
      method: 'POST',
      headers,
      body: payload,
      signal: AbortSignal.timeout(timeoutMs),
    });
    return {
      status: response.status,
      body: await response.text(),
      contentType: response.headers.get('content-type') ?? '',
    };
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

/**
 * The texts of a MessagingResponse: <Response><Message>…</Message>…</Response>, or [] for an
 * empty <Response/>. Throws when the body is not that shape, so a test cannot pass on garbage.
 */
export function parseTwiml(xml: string): string[] {
  const match = /^(?:<\?xml[^>]*\?>)?\s*(?:<Response\/>|<Response>([\s\S]*)<\/Response>)\s*$/.exec(xml);
  if (!match) throw new Error(`not a TwiML MessagingResponse: ${xml.slice(0, 300)}`);
  const inner = match[1] ?? '';
  const messages: string[] = [];
  const rest = inner.replace(/<Message>([\s\S]*?)<\/Message>/g, (_whole, text: string) => {
    // A message with a picture: <Body>caption</Body><Media>url</Media> (the caption is its text).
    const withMedia = /^<Body>([\s\S]*)<\/Body><Media>[^<]*<\/Media>$/.exec(text);
    messages.push(unescapeXml(withMedia ? (withMedia[1] ?? '') : text));
    return '';
  });
  if (rest.trim() !== '') throw new Error(`unexpected TwiML content: ${rest.slice(0, 300)}`);
  return messages;
}

export interface Turn extends HttpReply {
  sid: string;
  /** the <Message> texts (empty unless the reply was TwiML) */
  messages: string[];
  /** all the texts joined by newlines, for "contains" checks that hold whether SMS packed them or not */
  text: string;
}

/** One phone number talking to Ayni through a transport. */
export class Learner {
  readonly phone: string;
  readonly channel: 'sms' | 'whatsapp';
  /** every turn so far, in order */
  readonly history: Turn[] = [];

  constructor(
    readonly from: string,
    private readonly transport: Transport,
    private readonly sids: SidGenerator = () => randomSid(),
  ) {
    const address = parseAddress(from);
    if (!address) throw new Error(`not an address: ${from}`);
    this.phone = address.phone;
    this.channel = address.channel;
  }

  params(body: string, messageSid = this.sids()): Record<string, string> {
    return inboundParams({ from: this.from, body, messageSid });
  }

  async send(body: string, messageSid = this.sids()): Promise<Turn> {
    const reply = await this.transport(
      signedTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, this.params(body, messageSid)),
    );
    const messages = reply.status === 200 ? parseTwiml(reply.body) : [];
    const turn = { ...reply, sid: messageSid, messages, text: messages.join('\n') };
    this.history.push(turn);
    return turn;
  }

  /** Sends each body in turn and checks that every one got a 200. */
  async sendAll(...bodies: string[]): Promise<Turn[]> {
    const turns: Turn[] = [];
    for (const body of bodies) {
      const turn = await this.send(body);
      if (turn.status !== 200) throw new Error(`"${body}" got ${turn.status}: ${turn.body}`);
      turns.push(turn);
    }
    return turns;
  }
}

/** The Redis key of a learner's session, computed the way the app names it. */
export function sessionKey(prefix: string, phone: string): string {
  return new Keyspace(prefix).session(learnerId(phone));
}

export function lockKey(prefix: string, phone: string): string {
  return new Keyspace(prefix).lock(learnerId(phone));
}

export async function rawSession(redis: Redis, prefix: string, phone: string): Promise<string | null> {
  return redis.get(sessionKey(prefix, phone));
}

export async function readSession(redis: Redis, prefix: string, phone: string): Promise<SessionRecord> {
  const raw = await rawSession(redis, prefix, phone);
  if (!raw) throw new Error(`no session for ${phone}`);
  return JSON.parse(raw) as SessionRecord;
}

/** A text from locales/, in the learner's language, spelled as the channel sends it. */
export function say(
  lang: Language,
  channel: 'sms' | 'whatsapp',
  key: string,
  vars?: Record<string, string | number>,
): string {
  return spellForChannel(realContent().translator.t(lang, key, vars), lang, channel);
}

/** A random Bolivian mobile number, +5917 and 7 digits, so tests never share a learner. */
export function bolivianNumber(): string {
  return `+5917${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
}
