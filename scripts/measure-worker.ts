/**
 * What the measuring scripts (`measure-broadcast.ts`, `measure-nudges.ts`) share: the bench
 * keyspace and ids, the sender against the fake Twilio, and the worker process each starts (the
 * script again, in `worker` mode) and stops, reading the peak RSS it reports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEVELOPMENT_ID_SECRET } from '../src/config.js';
import { OutboundSender } from '../src/messaging/outbound.js';
import { createTwilioClient } from '../src/messaging/twilio-client.js';
import type { Stores } from '../src/plugins/create-stores.js';
import { KeyedPersonIds } from '../src/privacy/person-ids.js';
import { TEST_TWILIO } from '../tests/support/twilio-signing.js';

export const PREFIX = 'bench:';
// The worker processes build their stores with the same ids as the sessions written here.
export const ids = new KeyedPersonIds(DEVELOPMENT_ID_SECRET);
export const ROOT = path.resolve(import.meta.dirname, '..');
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const phoneOf = (i: number) => `+5917${String(i).padStart(7, '0')}`;

/** Peak resident set size of a process, MiB (Linux VmHWM). */
export function peakRssMiB(pid: number | 'self'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

export function senderFor(stores: Stores, redisUrl: string, twilioUrl: string, rate: number): OutboundSender {
  return new OutboundSender({
    stores,
    redisTarget: redisUrl,
    twilio: createTwilioClient({
      accountSid: TEST_TWILIO.accountSid,
      authToken: TEST_TWILIO.authToken,
      apiUrl: twilioUrl,
      timeout: 10_000,
    }),
    smsFrom: TEST_TWILIO.smsFrom,
    whatsappFrom: TEST_TWILIO.whatsappFrom,
    rates: { sms: rate, whatsapp: rate },
    retry: { attempts: 8, baseDelayMs: 200, maxDelayMs: 2_000 },
  });
}

/**
 * Worker mode's end: on SIGTERM closes what it runs, reports its peak RSS and exits; then says
 * it is ready.
 */
export async function serveUntilSigterm(
  ping: () => Promise<unknown>,
  close: () => Promise<void>,
): Promise<void> {
  process.once('SIGTERM', () => {
    void (async () => {
      await close();
      process.stdout.write(`peak ${peakRssMiB('self')}\n`);
      process.exit(0);
    })();
  });
  await ping();
  process.stdout.write('ready\n');
}

export interface Worker {
  child: ChildProcess;
  /** resolves with the peak RSS it reports as it stops */
  stop(): Promise<number>;
}

/** Starts `script` in worker mode and waits until it is ready. */
export async function startWorker(script: string, env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, 'worker'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  while (!output.includes('ready')) {
    if (child.exitCode !== null) throw new Error(`worker exited: ${output}`);
    await sleep(50);
  }
  return {
    child,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return Number(/peak (\d+)/.exec(output)?.[1] ?? NaN);
    },
  };
}
