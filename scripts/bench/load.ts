/**
 * The load of the inbound benchmark: autocannon sends correctly signed Twilio webhooks, request
 * i from learner i mod `learners` with that learner's next message of `script`, so every learner
 * starts from first contact and walks the course. Also starts and stops the servers under test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import autocannon from 'autocannon';
import type { Channel } from '../../src/privacy/phone.js';
import { freePort } from '../../tests/support/redis-server.js';
import { inboundParams, signTwilioRequest, twilioForm } from '../../tests/support/twilio-signing.js';

export const TOKEN = 'bench-auth-token';
export const PUBLIC_URL = 'https://ayni.bench';

/** The environment of every server under test (the floor and Ayni): production, on `redisUrl`. */
export function serverEnv(redisUrl: string): Record<string, string> {
  return {
    TWILIO_AUTH_TOKEN: TOKEN,
    PUBLIC_URL,
    REDIS_URL: redisUrl,
    LOG_LEVEL: 'info',
    NODE_ENV: 'production',
    ID_SECRET: 'bench-only-id-secret-not-for-any-deployment',
  };
}
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);

const require = createRequire(import.meta.url);
const hdr = require(require.resolve('hdr-histogram-js', { paths: [require.resolve('autocannon')] })) as {
  build(options: object): { getValueAtPercentile(p: number): number; destroy(): void };
};

export interface LoadResult {
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
}

export interface LoadPlan {
  channel: Channel;
  /** what each learner sends, in order (it starts again after the last) */
  script: string[];
  learners: number;
  seconds: number;
  /** answers other than 200, counted by status and the start of the body */
  statuses: Map<string, number>;
}

export function phoneOf(learner: number): string {
  return `+5916${String(learner).padStart(7, '0')}`;
}

/** Request i of the load: learner i mod N sends its next message, correctly signed. */
export function webhookRequest(
  plan: LoadPlan,
  tag: string,
  i: number,
): { headers: Record<string, string>; body: string } {
  const prefix = plan.channel === 'whatsapp' ? 'whatsapp:' : '';
  const step = Math.floor(i / plan.learners) % plan.script.length;
  const params = inboundParams({
    from: `${prefix}${phoneOf(i % plan.learners)}`,
    body: plan.script[step]!,
    messageSid: `SM${tag}${String(i).padStart(32 - tag.length, '0')}`,
  });
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest(TOKEN, `${PUBLIC_URL}/twilio/messages`, params),
    },
    body: twilioForm(params),
  };
}

/** An answer other than 200, counted by status and the start of the body. */
export function countRefusal(plan: LoadPlan, status: number, body: string): void {
  if (status === 200) return;
  const key = `${status} ${body.slice(0, 80)}`;
  plan.statuses.set(key, (plan.statuses.get(key) ?? 0) + 1);
}

/** Autocannon's requests: each one the next of webhookRequest. */
function webhookRequests(plan: LoadPlan, tag: string) {
  let counter = 0;
  return [
    {
      method: 'POST' as const,
      path: '/twilio/messages',
      onResponse: (status: number, body: string) => countRefusal(plan, status, body),
      setupRequest: (request: autocannon.Request) => ({
        ...request,
        ...webhookRequest(plan, tag, counter++),
      }),
    },
  ];
}

export async function load(
  url: string,
  plan: LoadPlan,
  tag: string,
  overallRate?: number,
): Promise<LoadResult> {
  const latencies = hdr.build({
    bitBucketSize: 64,
    autoResize: true,
    lowestDiscernibleValue: 1,
    highestTrackableValue: 10_000,
    numberOfSignificantValueDigits: 3,
  });
  const destroy = latencies.destroy.bind(latencies);
  latencies.destroy = () => {}; // read after autocannon is done with it
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: plan.seconds,
    requests: webhookRequests(plan, tag),
    ...(overallRate ? { overallRate } : {}),
    histograms: { latencies },
  } as autocannon.Options);
  const out = {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p95: latencies.getValueAtPercentile(95),
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
  destroy();
  return out;
}

export { CONNECTIONS };

/** Starts `entry` as a child process on a free port; `nodeArgs` e.g. ['--cpu-prof']. */
export async function startServer(
  entry: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    try {
      const probe = await fetch(`${url}/twilio/messages`, { method: 'POST' });
      if (probe.status) return { url, child };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${entry} did not start`);
}

export async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
