// A worker as a real child process, for tests that kill it with SIGKILL mid-work: started with
// tsx on the test Redis and sending through a fake Twilio, ready once it prints "ready".
import { startTsx, whenReady, type Child } from './children.js';
import { fakeTwilioEnv } from './twilio-signing.js';

export interface WorkerTarget {
  redisUrl: string;
  /** the test file's key prefix */
  prefix: string;
  /** the fake Twilio's URL */
  twilioUrl: string;
}

export async function startChildWorker(
  entry: string,
  target: WorkerTarget,
  env: Record<string, string> = {},
  readyTimeoutMs = 20_000,
): Promise<Child> {
  const worker = startTsx(entry, {
    REDIS_URL: target.redisUrl,
    REDIS_PREFIX: target.prefix,
    ...fakeTwilioEnv(target.twilioUrl),
    ...env,
  });
  await whenReady(
    worker,
    `${entry} to print "ready"`,
    () => worker.output().includes('ready'),
    readyTimeoutMs,
  );
  return worker;
}
