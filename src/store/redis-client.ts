/**
 * The one Redis connection of a process. It fails fast while Redis is away (no offline queue,
 * one retry) so that the webhook can answer 503 at once and Twilio moves to its fallback URL,
 * and it keeps reconnecting in the background so Ayni recovers without a restart.
 */
import { Redis } from 'ioredis';

export function createRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
    lazyConnect: false,
    // Commands issued in the same tick (by concurrent turns) go out in one socket write: the
    // profile showed socket writes as the largest cost of a turn.
    enableAutoPipelining: true,
  });
}

/**
 * True for errors that mean "Redis cannot serve us now", as opposed to a bug: not reachable, or
 * refusing writes (out of memory under noeviction, a read-only replica after a failover, a failed
 * disk). Twilio retries a 503 at its fallback URL.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    error.name === 'ReplyError' &&
    /^(OOM|READONLY|MISCONF|LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN)/.test(error.message)
  ) {
    return true;
  }
  return (
    /Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Command timed out|enableOfflineQueue|MaxRetriesPerRequest|connect ETIMEDOUT/i.test(
      error.message,
    ) || error.name === 'MaxRetriesPerRequestError'
  );
}

/** Waits until the connection is ready, or gives up quietly after `ms` (Ayni then answers 503). */
export async function waitUntilReady(redis: Redis, ms: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, ms);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}

/**
 * The 'error' listener of a BullMQ queue or worker. Losing Redis is not logged here: BullMQ
 * repeats it several times a second while Redis is away, which would bury the one line that
 * says so at start (plugins/redis.ts); /readyz says why, and each request answered 503 is
 * logged. Anything else is a warning.
 */
export function warnUnlessRedisAway(log: { warn(obj: object, msg: string): void } | undefined, msg: string) {
  return (error: Error): void => {
    if (!isRedisUnavailable(error)) log?.warn({ err: error.message }, msg);
  };
}
