/**
 * The Redis of a command-line tool, reached the way the app reaches it (REDIS_URL, or
 * REDIS_CLUSTER_NODES, or REDIS_SENTINELS: redisTargetOf) with the app's keyspace, and named for a
 * message without its password (redisUrlForLog).
 */
import type { Config } from '../config.js';
import { Keyspace } from '../store/keyspace.js';
import {
  createRedis,
  describeTarget,
  isCluster,
  redisTargetOf,
  waitUntilReady,
  type RedisClient,
} from '../store/redis-client.js';
import { redisUrlForLog } from '../store/redis-health.js';

export interface ToolRedis {
  redis: RedisClient;
  keys: Keyspace;
  /** where the tool looked, for a message: no password */
  where: string;
}

/** Connects as the app does; on no answer in 3 s, prints where it looked and exits 1. */
export async function connectToolRedis(config: Config, tool: string): Promise<ToolRedis> {
  const target = redisTargetOf(config);
  const redis = createRedis(target);
  const where = describeTarget(target, redisUrlForLog);
  if (!(await waitUntilReady(redis, 3_000))) {
    console.error(`${tool}: cannot reach Redis at ${where}`);
    process.exit(1);
  }
  return { redis, keys: new Keyspace(config.REDIS_PREFIX, { cluster: isCluster(target) }), where };
}
