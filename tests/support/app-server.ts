// Ayni as a real process (`node --import tsx src/server.ts`), for tests that need several app
// processes on one Redis, or a process that must outlive a Redis outage. Each child listens on a
// free loopback port and is ready once GET /readyz answers 200; postJson calls its admin API.
import { startTsx, whenReady, type Child } from './children.js';
import { freePort } from './redis-server.js';

export interface AppProcess extends Child {
  /** http://127.0.0.1:<port> */
  readonly url: string;
}

export interface StartAppOptions {
  /**
   * Environment for src/config.ts (PORT and HOST are chosen here). NODE_ENV is `test` unless
   * given; `undefined` leaves a variable unset, as on a fresh machine.
   */
  env: Record<string, string | undefined>;
  /** How long to wait for /readyz (default 45 s: starting takes seconds, more on a busy machine). */
  readyTimeoutMs?: number;
  /** Wait for /readyz 200 (default); false: wait only for /healthz 200, e.g. when Redis is down. */
  waitForRedis?: boolean;
}

export async function startAppProcess(options: StartAppOptions): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const app = startTsx(
    'src/server.ts',
    definedOnly({
      NODE_ENV: 'test',
      ...options.env,
      PORT: String(port),
      HOST: '127.0.0.1',
    }),
  );
  const probe = options.waitForRedis === false ? '/healthz' : '/readyz';
  await whenReady(
    app,
    `the app process to answer ${probe} with 200`,
    async () => {
      const response = await fetch(url + probe, { signal: AbortSignal.timeout(1_000) }).catch(() => null);
      return response?.status === 200;
    },
    options.readyTimeoutMs ?? 45_000,
    100, // each ask is an HTTP request; several processes may be starting at once
  );
  return { ...app, url };
}

/** POSTs `body` as JSON with a bearer `token`; resolves with the status and the JSON answer. */
export async function postJson<T = unknown>(
  app: AppProcess,
  path: string,
  body: unknown,
  token: string,
): Promise<{ status: number; json: T }> {
  const response = await fetch(app.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : null) as T };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
