/**
 * What a start prints once the server listens: the address to open, and in local mode (no Twilio
 * settings, outside production: src/config.ts) one line that says so and a one-time link that
 * signs an administrator in to the console, the way notebook servers print theirs. The link's
 * token lives in Redis (store/login-links.ts), so it is printed once Redis answers; only the
 * link is ever logged, never a token that stays valid.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '../store/redis-client.js';
import { isLocalMode } from '../config.js';

const LOCAL_MODE =
  'Local mode: no Twilio settings (TWILIO_AUTH_TOKEN) and NODE_ENV is not production, so every ' +
  'webhook is refused (403) and nothing is sent. The console and its bot simulator work: sign in ' +
  'with the one-time link below. To connect a number, see README.md, "Connecting a real Twilio number".';

export default fp(
  async (app) => {
    const local = isLocalMode(app.config);
    let closing = false;
    app.addHook('onClose', async () => {
      closing = true;
    });
    app.addHook('onListen', async () => {
      const base = openUrl(app.server.address());
      if (local) app.log.info(LOCAL_MODE);
      if (!base) return;
      app.log.info(`Ayni is listening: open ${base}`);
      // Not awaited: Redis may be away for a while, and nothing else should wait for it.
      if (local) void printLoginLink(app, base, () => closing);
    });
  },
  { name: 'start-notes', dependencies: ['config', 'redis', 'stores'] },
);

/** The address a person on this machine opens: localhost for "every interface". */
export function openUrl(address: AddressInfo | string | null): string | null {
  if (!address || typeof address === 'string') return null; // a pipe or socket file
  const { address: host, port } = address;
  if (host === '0.0.0.0' || host === '::') return `http://localhost:${port}/`;
  return host.includes(':') ? `http://[${host}]:${port}/` : `http://${host}:${port}/`;
}

/** Stores a one-time token once Redis answers (again, after a failure) and logs its link. */
async function printLoginLink(app: FastifyInstance, base: string, closing: () => boolean): Promise<void> {
  let tries = 0;
  while (!closing()) {
    if (tries++ > 0 || app.redis.status !== 'ready') await nextReady(app.redis);
    if (closing()) return;
    try {
      const token = await app.stores.loginLinks.create();
      app.log.info(
        `Sign in to the console as an administrator (works once): ${base}console/login?once=${token}`,
      );
      return;
    } catch (error) {
      app.log.warn(
        { err: error instanceof Error ? error.message : String(error) },
        'could not store the one-time login link in Redis; it is printed once Redis is back',
      );
    }
  }
}

function nextReady(redis: RedisClient): Promise<void> {
  return new Promise((resolve) => redis.once('ready', () => resolve()));
}
