// Shared by the broadcast tests: the app with a fake Twilio, admin API calls, learners' sessions
// written as the webhook leaves them, and waiting.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Language } from '../../src/content/locale-schema.js';
import { initialContext } from '../../src/flows/learner-context.js';
import { learnerId } from '../support/person-ids.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { SessionStore, type SessionRecord } from '../../src/store/session-store.js';
import { testApp } from '../http/helpers.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';

export const ADMIN_TOKEN = 'admin-secret';
export const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The real app, sending through the fake Twilio at `twilioUrl`, workers in this process. */
export function broadcastApp(
  redisUrl: string,
  prefix: string,
  twilioUrl: string,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  return testApp(redisUrl, prefix, {
    env: {
      ADMIN_TOKEN,
      TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
      TWILIO_API_URL: twilioUrl,
      TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
      TWILIO_SMS_FROM: TEST_TWILIO.smsFrom,
      SMS_RATE_PER_SECOND: '50',
      ...env,
    },
  });
}

export interface BroadcastReply {
  id: string;
  targeted: number;
  state: string;
  fallbacks: string[];
  notes: string[];
  nextAt: string | null;
  replayed: boolean;
}

export interface StatusReply {
  id: string;
  state: string;
  counts: Record<'targeted' | 'queued' | 'sent' | 'delivered' | 'failed' | 'skipped', number>;
  skippedReasons: Record<string, number>;
  occurrences: { occurrence: string; fannedOut: boolean; pending: number }[];
  nextAt: string | null;
}

export function adminApi(app: FastifyInstance) {
  return {
    post: (payload: unknown, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/broadcasts',
        headers: { ...auth, ...headers },
        payload: payload as object,
      }),
    create: async (payload: unknown, headers: Record<string, string> = {}): Promise<BroadcastReply> => {
      const response = await app.inject({
        method: 'POST',
        url: '/api/broadcasts',
        headers: { ...auth, ...headers },
        payload: payload as object,
      });
      if (response.statusCode !== 201)
        throw new Error(`POST /api/broadcasts: ${response.statusCode} ${response.body}`);
      return response.json<BroadcastReply>();
    },
    status: async (id: string): Promise<StatusReply> => {
      const response = await app.inject({ method: 'GET', url: `/api/broadcasts/${id}`, headers: auth });
      if (response.statusCode !== 200) throw new Error(`GET: ${response.statusCode} ${response.body}`);
      return response.json<StatusReply>();
    },
    cancel: async (id: string): Promise<StatusReply> => {
      const response = await app.inject({ method: 'DELETE', url: `/api/broadcasts/${id}`, headers: auth });
      if (response.statusCode !== 200) throw new Error(`DELETE: ${response.statusCode} ${response.body}`);
      return response.json<StatusReply>();
    },
    /** Waits until the broadcast is in `state` (default done), and returns it. */
    settled: async (id: string, state = 'done', timeoutMs = 10_000): Promise<StatusReply> => {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const response = await app.inject({ method: 'GET', url: `/api/broadcasts/${id}`, headers: auth });
        const status = response.json<StatusReply>();
        if (status.state === state) return status;
        if (Date.now() > until)
          throw new Error(`broadcast ${id} is ${status.state}, not ${state}: ${response.body}`);
        await sleep(50);
      }
    },
  };
}

export interface SessionFixture {
  phone: string;
  channel?: 'sms' | 'whatsapp';
  lang?: Language | null;
  lastInboundAt?: number;
  optedOut?: boolean;
  done?: Record<string, [number, number]>;
  feasibility?: { areas: Record<string, number>; on: string } | null;
}

/** A learner's session as the webhook saves it, on the menu; adds them to the learner index. */
export async function saveSession(redis: Redis, prefix: string, fixture: SessionFixture): Promise<void> {
  const record: SessionRecord = {
    flowVersion: 'test',
    snapshot: {
      value: 'menu',
      context: {
        ...initialContext(),
        lang: fixture.lang === undefined ? 'es' : fixture.lang,
        done: fixture.done ?? {},
        feasibility: fixture.feasibility ?? null,
      },
    },
    address: fixture.channel === 'whatsapp' ? `whatsapp:${fixture.phone}` : fixture.phone,
    lastInboundAt: fixture.lastInboundAt ?? Date.now(),
    optedOut: fixture.optedOut ?? false,
    turns: 1,
    seen: [],
    lastReplies: [],
  };
  const keys = new Keyspace(prefix);
  await new SessionStore(redis, keys).save(learnerId(fixture.phone), record);
  await redis.sadd(keys.learners(), learnerId(fixture.phone));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A Bolivian number with this test file's own digits, so files never share a learner. */
export function numberFor(file: number, n: number): string {
  return `+5917${String(file).padStart(2, '0')}${String(n).padStart(5, '0')}`;
}
