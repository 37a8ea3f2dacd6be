// Per-test-file Redis access. The server may be shared (REDIS_URL, or the one globalSetup started for
// every file), so each file writes under its own key prefix and cleans up only that prefix:
// never FLUSHDB/FLUSHALL here.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, inject } from 'vitest';

export interface TestRedis {
  /** Connected client (no ioredis keyPrefix: add `prefix` yourself or pass it to the code under test). */
  readonly redis: Redis;
  /** The server URL from globalSetup, for code under test that makes its own connections. */
  readonly url: string;
  /** `test:<random>:`, unique to this call; safe in SCAN patterns (hex only). */
  readonly prefix: string;
  /** `prefix + parts.join(':')` */
  key(...parts: Array<string | number>): string;
  /** Deletes every key under `prefix` now (e.g. in beforeEach). */
  clear(): Promise<number>;
}

/**
 * Call once at the top of a test file (or a describe block). Connects to inject('redisUrl') and, in
 * afterAll, deletes the keys under this file's prefix and disconnects.
 */
export function useTestRedis(): TestRedis {
  const url = inject('redisUrl');
  const prefix = `test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });

  const clear = (): Promise<number> => deleteByPrefix(redis, prefix);

  afterAll(async () => {
    try {
      await clear();
    } finally {
      await redis.quit().catch(() => redis.disconnect());
    }
  });

  return {
    redis,
    url,
    prefix,
    key: (...parts) => prefix + parts.join(':'),
    clear,
  };
}

/** SCAN + UNLINK every key that starts with `prefix`. Returns how many keys were removed. */
export async function deleteByPrefix(redis: Redis, prefix: string): Promise<number> {
  if (!prefix || /[*?[\]\\]/.test(prefix)) {
    throw new Error(`refusing to delete by unsafe prefix ${JSON.stringify(prefix)}`);
  }
  let removed = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) removed += await redis.unlink(...keys);
  } while (cursor !== '0');
  return removed;
}
