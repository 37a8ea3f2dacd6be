// Shared by the broadcast tests: the app with a fake Twilio, admin API calls, learners' sessions
// written as the webhook leaves them, and waiting.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll } from 'vitest';
import { testApp } from '../http/helpers.js';
import { useFakeTwilio } from '../support/fake-twilio.js';
import { saveSession, type SessionFixture } from '../support/session-fixture.js';
import { waitFor } from '../support/wait-for.js';
import { fakeTwilioEnv } from '../support/twilio-signing.js';

export const ADMIN_TOKEN = 'admin-secret-of-at-least-32-characters';
export const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

/** The real app, sending through the fake Twilio at `twilioUrl`, workers in this process. */
export function broadcastApp(
  redisUrl: string,
  prefix: string,
  twilioUrl: string,
  env: Record<string, string> = {},
): Promise<FastifyInstance> {
  return testApp(redisUrl, prefix, {
    env: { ADMIN_TOKEN, ...fakeTwilioEnv(twilioUrl), SMS_RATE_PER_SECOND: '50', ...env },
  });
}

/**
 * The broadcast app and its fake Twilio for a whole test file, closed after its tests:
 * `const { app, fake, api } = await useBroadcastApp(url, prefix)` at the top of the file.
 */
export async function useBroadcastApp(redisUrl: string, prefix: string, env: Record<string, string> = {}) {
  const fake = await useFakeTwilio();
  const app = await broadcastApp(redisUrl, prefix, fake.url, env);
  afterAll(() => app.close());
  return { app, fake, api: adminApi(app) };
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
  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/api/broadcasts',
      headers: { ...auth, ...headers },
      payload: payload as object,
    });
  const get = (id: string) => app.inject({ method: 'GET', url: `/api/broadcasts/${id}`, headers: auth });
  return {
    registerCoordinator: (phone: string, name: string) =>
      app.inject({ method: 'POST', url: '/api/coordinators', headers: auth, payload: { phone, name } }),
    createGroup: (group: { name: string; locale: string; coordinator: string }) =>
      app.inject({ method: 'POST', url: '/api/groups', headers: auth, payload: group }),
    post,
    create: async (payload: unknown, headers: Record<string, string> = {}): Promise<BroadcastReply> => {
      const response = await post(payload, headers);
      if (response.statusCode !== 201)
        throw new Error(`POST /api/broadcasts: ${response.statusCode} ${response.body}`);
      return response.json<BroadcastReply>();
    },
    status: async (id: string): Promise<StatusReply> => {
      const response = await get(id);
      if (response.statusCode !== 200) throw new Error(`GET: ${response.statusCode} ${response.body}`);
      return response.json<StatusReply>();
    },
    cancel: async (id: string): Promise<StatusReply> => {
      const response = await app.inject({ method: 'DELETE', url: `/api/broadcasts/${id}`, headers: auth });
      if (response.statusCode !== 200) throw new Error(`DELETE: ${response.statusCode} ${response.body}`);
      return response.json<StatusReply>();
    },
    /** Waits until no send of the broadcast is still in flight: each occurrence's last ones are sent or skipped. */
    sendsFinished: (id: string): Promise<boolean> =>
      waitFor(`the sends of broadcast ${id} to finish`, async () => {
        const response = await get(id);
        return response.json<StatusReply>().occurrences.every((o) => o.pending === 0);
      }),
    /** Waits until the broadcast is in `state` (default done), and returns it. */
    settled: (id: string, state = 'done', timeoutMs = 10_000): Promise<StatusReply> => {
      let last = '';
      return waitFor(
        `broadcast ${id} to be ${state}`,
        async () => {
          const response = await get(id);
          last = response.body;
          const status = response.json<StatusReply>();
          return status.state === state ? status : undefined;
        },
        timeoutMs,
        () => last,
      );
    },
  };
}

/**
 * A learner's session as the webhook saves it, on the menu, in Spanish unless `lang` says
 * otherwise; adds them to the learner index.
 */
export function saveLearner(redis: Redis, prefix: string, fixture: SessionFixture): Promise<void> {
  return saveSession(redis, prefix, { lang: 'es', ...fixture }, { indexed: true });
}

/** A Bolivian number with this test file's own digits, so files never share a learner. */
export function numberFor(file: number, n: number): string {
  return `+5917${String(file).padStart(2, '0')}${String(n).padStart(5, '0')}`;
}
