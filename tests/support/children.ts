// The processes tests start (Ayni, workers, redis-server): what they print, kept for failure
// messages, and stopping them. Any still running when the test process exits is killed, so none
// outlives a run.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { waitFor } from './wait-for.js';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Child {
  readonly child: ChildProcess;
  /** Its stdout and stderr so far (the newest part, see StartOptions.keep), or how it failed to start. */
  output(): string;
  /** True while the process has not exited. */
  alive(): boolean;
  /** Resolves with how it exited. */
  readonly exited: Promise<Exit>;
  /** Sends `signal` (SIGKILL after `timeoutMs`), and resolves with how it exited. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
  /** SIGKILL: no shutdown hook runs, nothing is flushed; resolves once it is gone. */
  kill(): Promise<Exit>;
}

export interface StartOptions {
  env?: Record<string, string>;
  cwd?: string;
  /** how many characters of output to keep; default 20,000 */
  keep?: number;
}

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const live = new Set<ChildProcess>();
process.once('exit', () => killAllChildren());

export function startChild(command: string, args: string[], options: StartOptions = {}): Child {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let output = '';
  const keep = options.keep ?? 20_000;
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-keep);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let spawnFailed = false;
  const exited = new Promise<Exit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    // A command that cannot be spawned emits 'error', and no 'exit'.
    child.once('error', (err) => {
      spawnFailed = true;
      output += `\nfailed to start: ${err.message}`;
      resolve({ code: null, signal: null });
    });
  });
  void exited.then(() => live.delete(child));
  const alive = (): boolean => !spawnFailed && child.exitCode === null && child.signalCode === null;

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<Exit> => {
    if (!alive()) return exited;
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.kill(signal);
    const result = await exited;
    clearTimeout(timer);
    return result;
  };
  return { child, output: () => output, alive, exited, stop, kill: () => stop('SIGKILL') };
}

/** `node --import tsx <entry>` in the repository, with only PATH and `env` in its environment. */
export function startTsx(entry: string, env: Record<string, string>): Child {
  return startChild(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
}

/** Every child this test file started and that still runs, for an afterAll that must leave none behind. */
export function killAllChildren(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Waits until `ready()` holds, asking every `intervalMs`: a child that exits before, or is not
 * ready within `timeoutMs`, is killed and the start fails with what it printed.
 */
export async function whenReady(
  started: Child,
  what: string,
  ready: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs?: number,
): Promise<void> {
  try {
    await waitFor(
      what,
      () => {
        if (!started.alive()) throw new Error(`exited before ${what}:\n${started.output()}`);
        return ready();
      },
      timeoutMs,
      () => started.output(),
      intervalMs,
    );
  } catch (error) {
    await started.kill();
    throw error;
  }
}
