// What a worker child process (sender-worker-child.ts, broadcast-worker-child.ts) reads from the
// environment its test gave it (child-worker.ts): the test Redis and the fake Twilio.
import { createTwilioClient } from '../../src/messaging/twilio-client.js';

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
