/**
 * One turn at a time per learner, across every app process: a Redis lock with an owner token,
 * released only by its owner, and expiring by itself if a process dies holding it.
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

/** Deletes a lock only if it still holds the owner's token (KEYS[1] lock, ARGV[1] token). */
export const RELEASE_LUA = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

// Owner tokens: unique per process (random once) and per turn (a counter), without paying for
// random bytes on every turn.
const PROCESS_TOKEN = randomBytes(6).toString('hex');
let tokens = 0;

export function newLockToken(): string {
  return `${PROCESS_TOKEN}:${++tokens}`;
}

/**
 * Tries `attempt` until it returns something other than null (the lock is ours), waiting a little
 * longer each time, or throws LockTimeoutError after `waitMs`.
 */
export async function untilAcquired<T>(waitMs: number, attempt: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + waitMs;
  let pause = 2;
  for (;;) {
    const acquired = await attempt();
    if (acquired !== null) return acquired;
    if (Date.now() > deadline) throw new LockTimeoutError();
    // Jitter keeps twenty waiting turns from waking in lockstep.
    await sleep(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 25);
  }
}

export class LockTimeoutError extends Error {
  constructor() {
    super('another turn of this learner is still running');
    this.name = 'LockTimeoutError';
  }
}

export interface SenderLockOptions {
  /** how long a lock lives if its owner dies */
  ttlMs: number;
  /** how long a turn waits for the learner's previous turn before giving up */
  waitMs: number;
}

export class SenderLock {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly options: SenderLockOptions = { ttlMs: 10_000, waitMs: 10_000 },
  ) {}

  async withLock<T>(learner: string, work: () => Promise<T>): Promise<T> {
    const key = this.keys.lock(learner);
    const token = newLockToken();
    await untilAcquired(this.options.waitMs, async () =>
      (await this.redis.set(key, token, 'PX', this.options.ttlMs, 'NX')) === 'OK' ? true : null,
    );
    try {
      return await work();
    } finally {
      await this.redis.eval(RELEASE_LUA, 1, key, token).catch(() => undefined);
    }
  }
}
