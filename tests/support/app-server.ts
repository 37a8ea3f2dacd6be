// Ayni as a real process (`node --import tsx src/server.ts`), for tests that need several app
// processes on one Redis, or a process that must outlive a Redis outage. Each child listens on a
// free loopback port and is ready once GET /readyz answers 200.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from './redis-server.js';

export interface AppProcess {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly child: ChildProcess;
  /** The child's stdout and stderr so far (last 20,000 characters), for failure messages. */
  output(): string;
  /** True while the process has not exited. */
  alive(): boolean;
  /** SIGTERM, then resolves with how the process exited (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartAppOptions {
  /**
   * Environment for src/config.ts (PORT and HOST are chosen here). NODE_ENV is `test` unless
   * given; `undefined` leaves a variable unset, as on a fresh machine.
   */
  env: Record<string, string | undefined>;
  /** How long to wait for /readyz (default 20 s). */
  readyTimeoutMs?: number;
  /** Wait for /readyz 200 (default); false: wait only for /healthz 200, e.g. when Redis is down. */
  waitForRedis?: boolean;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');

// Children still running when the test process exits are killed, so no server outlives a run.
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export async function startAppProcess(options: StartAppOptions): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: definedOnly({
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'test',
      ...options.env,
      PORT: String(port),
      HOST: '127.0.0.1',
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;

  const probe = options.waitForRedis === false ? '/healthz' : '/readyz';
  const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
  for (;;) {
    if (!alive()) throw new Error(`app process exited before it was ready:\n${output}`);
    const ok = await fetch(url + probe, { signal: AbortSignal.timeout(1_000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`app process did not answer ${probe} in time:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    child,
    output: () => output,
    alive,
    async stop(timeoutMs = 15_000) {
      if (!alive()) return exited;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.kill('SIGTERM');
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}
