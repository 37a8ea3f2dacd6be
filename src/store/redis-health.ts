/**
 * Why the process's Redis cannot serve, in words a person can act on: the last connection error
 * (ECONNREFUSED while no Redis runs there), kept until the connection is ready again. A failed
 * PING alone says little: without an offline queue it only reports the stream is not writeable.
 */
import type { RedisClient } from './redis-client.js';

export class RedisHealth {
  private lastProblem: string | null = null;

  constructor(private readonly redis: RedisClient) {
    redis.on('error', (error: Error & { code?: string }) => {
      this.lastProblem = error.code ?? error.message;
    });
    redis.on('ready', () => {
      this.lastProblem = null;
    });
  }

  /** Why Redis is not ready, given the error of the command that just failed. */
  reason(failed: unknown): string {
    if (this.redis.status !== 'ready') {
      return `Redis is not reachable (${this.lastProblem ?? this.redis.status}); Ayni keeps trying`;
    }
    return `Redis did not answer: ${failed instanceof Error ? failed.message : String(failed)}`;
  }
}

/** REDIS_URL with its password hidden, to name in a log line. */
export function redisUrlForLog(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(REDIS_URL is not a URL)';
  }
}
