/**
 * Runs a Lua script by its SHA1, loading it on the first NOSCRIPT (after a restart or failover
 * the server's script cache is empty). One helper instead of ioredis defineCommand, so the shared
 * client is not given new methods and the call stays typed.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from '../store/redis-client.js';

export interface Script {
  source: string;
  sha: string;
}

export function script(source: string): Script {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

export async function runScript(
  redis: RedisClient,
  { source, sha }: Script,
  keys: string[],
  args: Array<string | number>,
): Promise<unknown> {
  try {
    return await redis.evalsha(sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (error instanceof Error && error.message.startsWith('NOSCRIPT')) {
      return redis.eval(source, keys.length, ...keys, ...args);
    }
    throw error;
  }
}
