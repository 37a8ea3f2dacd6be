// A new user's first start: `npm start` on a fresh clone with Redis running and nothing else set.
// The real server process (src/server.ts) is started with an empty environment but for Redis and
// the port, and NODE_ENV unset: it starts in local mode, says so, prints where to open it and a
// one-time login link to the console. In production the same empty environment refuses to start,
// with the list of what is missing and no stack trace. A Redis that is not there is named, once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-server.js';
import { startTsx } from '../support/children.js';
import { freePort, startRedis, type RedisServerHandle } from '../support/redis-server.js';
import { useTestRedis } from '../support/test-redis.js';
import { inboundParams, randomSid, signedTwilioRequest } from '../support/twilio-signing.js';
import { waitFor } from '../support/wait-for.js';

const LOGIN_LINK = /https?:\/\/\S+\/console\/login\?\S+/;
const isLocalModeLine = (msg: string) => /^local mode\b/i.test(msg);
/** Starting a process on this shared, loaded machine can take a while: wait for it generously. */
const START_MS = 45_000;

/** The `msg` of every pino line the process printed so far. */
function logMessages(app: AppProcess): string[] {
  return app
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        const parsed = JSON.parse(line) as { msg?: unknown };
        return typeof parsed.msg === 'string' ? [parsed.msg] : [];
      } catch {
        return [];
      }
    });
}

/** `name=value` of the cookie `name` a response sets, if it sets it. */
function cookieSet(response: Response, name: string): string | undefined {
  return response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith(`${name}=`) && pair.length > name.length + 1);
}

describe('npm start with Redis and nothing else set (local mode)', () => {
  const { url: redisUrl, prefix } = useTestRedis();
  let app: AppProcess;
  let link: string;

  beforeAll(async () => {
    app = await startAppProcess({
      env: { NODE_ENV: undefined, REDIS_URL: redisUrl, REDIS_PREFIX: prefix },
      readyTimeoutMs: START_MS,
    });
    link = await waitFor(
      'the login link in the log',
      () =>
        logMessages(app)
          .map((msg) => LOGIN_LINK.exec(msg)?.[0])
          .find(Boolean),
      20_000,
    );
  }, START_MS + 10_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('says it runs in local mode in one line, and prints the address to open', () => {
    const messages = logMessages(app);
    expect(messages.filter(isLocalModeLine)).toHaveLength(1);
    expect(messages.some((msg) => msg.includes(`open ${app.url}/`))).toBe(true);
    expect(link.startsWith(`${app.url}/console/login?`)).toBe(true);
  });

  it('signs an administrator in through the link once, and refuses the same link a second time', async () => {
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/console/groups');
    const cookie = cookieSet(first, 'ayni_console');
    expect(cookie).toBeDefined();

    const groups = await fetch(`${app.url}/console/groups`, {
      headers: { cookie: cookie! },
      redirect: 'manual',
    });
    expect(groups.status).toBe(200);

    // The bot simulator answers with the real engine, without any Twilio setting.
    const tryPage = await (await fetch(`${app.url}/console/try`, { headers: { cookie: cookie! } })).text();
    const csrf = /name="_csrf"\s+value="([^"]+)"/.exec(tryPage)?.[1];
    expect(csrf).toBeDefined();
    const sent = await fetch(`${app.url}/console/try/send`, {
      method: 'POST',
      headers: { cookie: cookie!, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf!, text: 'hola' }).toString(),
      redirect: 'manual',
    });
    expect(sent.status).toBe(303);
    const chat = await (await fetch(`${app.url}/console/try`, { headers: { cookie: cookie! } })).text();
    expect(chat).toContain('Soy Ayni');

    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(401);
    expect(cookieSet(again, 'ayni_console')).toBeUndefined();
    expect(await again.text()).toMatch(/enlace/i);
  });

  it('answers GET / with a page linking to the console, its simulator, the health check and the API docs when served', async () => {
    const home = await fetch(`${app.url}/`);
    expect(home.status).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await home.text();
    expect(page).toContain('Ayni');
    for (const href of ['/console', '/console/try', '/healthz']) expect(page).toContain(`href="${href}"`);
    const docsServed = (await fetch(`${app.url}/docs`, { redirect: 'manual' })).status !== 404;
    expect(page.includes('href="/docs"')).toBe(docsServed);
  });

  it('refuses every webhook with 403, whatever token signed it', async () => {
    // PUBLIC_URL is its default, http://localhost:3000: what a signature would be computed over.
    for (const token of ['any-token', 'test-auth-token-0123456789abcdef']) {
      const params = inboundParams({ from: '+59171234567', body: 'hola' });
      const request = signedTwilioRequest(token, 'http://localhost:3000/twilio/messages', params);
      const response = await fetch(`${app.url}/twilio/messages`, {
        method: 'POST',
        headers: request.headers,
        body: request.payload,
      });
      expect(response.status).toBe(403);
    }
    const status = { MessageSid: randomSid(), MessageStatus: 'delivered' };
    const callback = signedTwilioRequest('any-token', 'http://localhost:3000/twilio/status', status);
    const response = await fetch(`${app.url}/twilio/status`, {
      method: 'POST',
      headers: callback.headers,
      body: callback.payload,
    });
    expect(response.status).toBe(403);
  });
});

describe('a start with the Twilio settings', () => {
  const { url: redisUrl, prefix } = useTestRedis();
  let app: AppProcess;

  beforeAll(async () => {
    app = await startAppProcess({
      env: {
        REDIS_URL: redisUrl,
        REDIS_PREFIX: prefix,
        TWILIO_AUTH_TOKEN: 'a-real-deployment-token',
        ID_SECRET: 'a-real-deployment-secret-of-40-characters',
      },
      readyTimeoutMs: START_MS,
    });
  }, START_MS + 10_000);
  afterAll(async () => {
    await app?.stop();
  });

  it('prints the address to open, and neither the local-mode line nor a login link', async () => {
    await waitFor('the address line', () => logMessages(app).some((msg) => msg.includes(`open ${app.url}/`)));
    expect(logMessages(app).filter(isLocalModeLine)).toEqual([]);
    expect(logMessages(app).filter((msg) => LOGIN_LINK.test(msg))).toEqual([]);
  });
});

/** `npm start` with `env`, which is expected to exit by itself (killed after START_MS if it does not). */
async function startUntilExit(env: Record<string, string>) {
  const server = startTsx('src/server.ts', env);
  const timer = setTimeout(() => void server.kill(), START_MS);
  const { code } = await server.exited;
  clearTimeout(timer);
  return { code, output: server.output() };
}

describe('npm start in production with nothing set', () => {
  it(
    'exits non-zero with the list of what is missing and no stack trace',
    async () => {
      const { code, output } = await startUntilExit({ NODE_ENV: 'production' });

      expect(code, output).not.toBe(0);
      expect(code, output).not.toBeNull();
      expect(output).toContain('TWILIO_AUTH_TOKEN');
      expect(output).toMatch(/missing/i);
      expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    },
    START_MS + 10_000,
  );
});

describe('npm start with a Twilio token but no ID_SECRET, outside production', () => {
  it(
    'exits non-zero saying ID_SECRET is missing, and no stack trace',
    async () => {
      const { code, output } = await startUntilExit({
        NODE_ENV: 'development',
        TWILIO_AUTH_TOKEN: 'a-real-deployment-token',
        REDIS_URL: 'redis://127.0.0.1:1',
      });

      expect(code, output).not.toBe(0);
      expect(code, output).not.toBeNull();
      expect(output).toContain('ID_SECRET: missing; required once TWILIO_AUTH_TOKEN is set');
      expect(output).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
    },
    START_MS + 10_000,
  );
});

describe('npm start while Redis is not running', () => {
  let app: AppProcess;
  let port: number;
  let redis: RedisServerHandle | undefined;

  beforeAll(async () => {
    port = await freePort(); // nobody listens there
    app = await startAppProcess({
      env: { NODE_ENV: undefined, REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_PREFIX: 'ayni-first-start:' },
      waitForRedis: false,
      readyTimeoutMs: START_MS,
    });
  }, START_MS + 10_000);
  afterAll(async () => {
    await app?.stop();
    await redis?.stop();
  });

  it('says once which Redis it tried and how to start one, and /readyz says why it is not ready', async () => {
    const tried = `redis://127.0.0.1:${port}`;
    const lines = await waitFor('the Redis line', () => {
      const found = logMessages(app).filter((msg) => msg.includes(tried));
      return found.length > 0 && found;
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('redis-server');

    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { reason?: string };
    expect(body.reason).toMatch(/not reachable/i);
    expect(body.reason).toContain('ECONNREFUSED');
    expect(logMessages(app).some((msg) => msg.includes(`open ${app.url}/`))).toBe(true);
  });

  it('keeps trying: once Redis runs there, /readyz answers 200 and the login link is printed', async () => {
    redis = await startRedis({ port });
    await waitFor('/readyz 200', async () => (await fetch(`${app.url}/readyz`)).status === 200, 15_000);
    await waitFor('the login link', () => logMessages(app).some((msg) => LOGIN_LINK.test(msg)));
    expect(logMessages(app).filter((msg) => msg.includes(`redis://127.0.0.1:${port}`))).toHaveLength(1);
  });
});
