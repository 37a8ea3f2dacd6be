// What a worker child process (sender-worker-child.ts, broadcast-worker-child.ts, nudge-worker-child.ts)
// reads from the environment its test gave it (child-worker.ts): the test Redis and the fake Twilio;
// and the sender and start-up the fan-out children share.
import type { Redis } from 'ioredis';
import { OutboundSender } from '../../src/messaging/outbound.js';
import { createTwilioClient } from '../../src/messaging/twilio-client.js';
import type { Stores } from '../../src/plugins/create-stores.js';

/** A variable the child cannot run without. */
export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${process.argv[1] ?? 'worker child'}: ${name} is required`);
  return value;
}

/** The twilio client, pointed at the fake Twilio. */
export function twilioFromEnv(timeoutMs = 2_000) {
  return createTwilioClient({
    accountSid: requiredEnv('TWILIO_ACCOUNT_SID'),
    authToken: requiredEnv('TWILIO_AUTH_TOKEN'),
    apiUrl: requiredEnv('TWILIO_API_URL'),
    timeout: timeoutMs,
  });
}

/**
 * The send workers of a fan-out child (nudge-worker-child.ts, broadcast-worker-child.ts), as an
 * app process with OUTBOUND_WORKER runs them, with short lock and stall settings so that a killed
 * process's send jobs come back within seconds.
 */
export function fanOutChildSender(
  redisUrl: string,
  stores: Stores,
  rates: { sms: number; whatsapp: number },
): OutboundSender {
  return new OutboundSender({
    stores,
    redisTarget: redisUrl,
    twilio: twilioFromEnv(),
    smsFrom: requiredEnv('TWILIO_SMS_FROM'),
    whatsappFrom: requiredEnv('TWILIO_WHATSAPP_FROM'),
    rates,
    concurrency: { sms: 4, whatsapp: 4 },
    retry: { attempts: 8, baseDelayMs: 100, maxDelayMs: 500 },
    inFlightMs: 2_500,
    worker: { lockDurationMs: 1_500, stalledIntervalMs: 500, maxStalledCount: 3 },
    workerName: `child-${process.pid}`,
  });
}

/**
 * Starts the sender and then `worker`; on SIGTERM closes both and Redis and exits 0. Prints
 * "ready" (what child-worker.ts waits for) once Redis answers.
 */
export async function serveChild(
  redis: Redis,
  sender: OutboundSender,
  worker: { start(): void; close(): Promise<unknown> },
): Promise<void> {
  sender.start();
  worker.start();
  process.once('SIGTERM', () => {
    void Promise.all([worker.close(), sender.close()]).then(() => redis.quit().then(() => process.exit(0)));
  });
  await redis.ping();
  process.stdout.write('ready\n');
}
