/**
 * The one place Ayni's Redis clients are made, for every Redis user: the process's connection
 * (stores, locks, rate limits, console sessions) and BullMQ's own connections (queues and
 * workers). What they connect to is a RedisTarget: one server (REDIS_URL), a Redis Cluster
 * (REDIS_CLUSTER_NODES) or a Sentinel-managed primary (REDIS_SENTINELS, REDIS_SENTINEL_NAME).
 *
 * The process's connection fails fast while Redis is away (no offline queue, one retry) so that
 * the webhook can answer 503 at once and Twilio moves to its fallback URL, and it keeps
 * reconnecting in the background so Ayni recovers without a restart.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { Config, HostPort } from '../config.js';

/** A connection to one Redis, a Cluster or a Sentinel-managed primary: the same commands. */
export type RedisClient = Redis | Cluster;

/** Where Redis is: a URL, a cluster's seed nodes, or the sentinels and the primary's name. */
export type RedisTarget = string | { cluster: HostPort[] } | { sentinels: HostPort[]; name: string };

type RedisConfig = Pick<
  Config,
  'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_SENTINELS' | 'REDIS_SENTINEL_NAME'
>;

/** The configured target: the cluster when REDIS_CLUSTER_NODES is set, else sentinels, else REDIS_URL. */
export function redisTargetOf(config: RedisConfig): RedisTarget {
  if (config.REDIS_CLUSTER_NODES) return { cluster: config.REDIS_CLUSTER_NODES };
  if (config.REDIS_SENTINELS && config.REDIS_SENTINEL_NAME)
    return { sentinels: config.REDIS_SENTINELS, name: config.REDIS_SENTINEL_NAME };
  return config.REDIS_URL;
}

/** True when the target is a Redis Cluster: BullMQ then needs a hash-tagged prefix (Keyspace). */
export function isCluster(target: RedisTarget): target is { cluster: HostPort[] } {
  return typeof target === 'object' && 'cluster' in target;
}

/** The target in words for a log line, with no password. */
export function describeTarget(target: RedisTarget, urlForLog: (url: string) => string): string {
  if (typeof target === 'string') return urlForLog(target);
  const nodes = 'cluster' in target ? target.cluster : target.sentinels;
  const list = nodes.map((node) => `${node.host}:${node.port}`).join(',');
  return 'cluster' in target
    ? `the cluster ${list}`
    : `the primary "${target.name}" of the sentinels ${list}`;
}

const FAIL_FAST: RedisOptions = {
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(50 * attempt, 1_000),
};

/** The process's connection. Given a URL it is one server's client, as before Cluster existed. */
export function createRedis(target: string): Redis;
export function createRedis(target: RedisTarget): RedisClient;
export function createRedis(target: RedisTarget): RedisClient {
  // Commands issued in the same tick (by concurrent turns) go out in one socket write: the
  // profile showed socket writes as the largest cost of a turn.
  const shared = { enableOfflineQueue: false, enableAutoPipelining: true };
  if (typeof target === 'string') return new Redis(target, { ...FAIL_FAST, ...shared, lazyConnect: false });
  if ('sentinels' in target) return new Redis({ ...FAIL_FAST, ...shared, ...sentinelOptions(target) });
  return new Cluster(target.cluster, { ...clusterOptions(FAIL_FAST), ...shared });
}

/** A connection for BullMQ, which blocks on it and must never give up on a command (its own rule). */
export function createBullRedis(target: RedisTarget): RedisClient {
  const patient: RedisOptions = { maxRetriesPerRequest: null };
  if (typeof target === 'string') return new Redis(target, patient);
  if ('sentinels' in target) return new Redis({ ...patient, ...sentinelOptions(target) });
  return new Cluster(target.cluster, clusterOptions(patient));
}

function sentinelOptions(target: { sentinels: HostPort[]; name: string }): RedisOptions {
  // failoverDetector: listen to the sentinels' +switch-master and move to the new primary at
  // once, rather than when the old one's connection finally fails.
  return { sentinels: target.sentinels, name: target.name, failoverDetector: true };
}

function clusterOptions(redisOptions: RedisOptions): ClusterOptions {
  return {
    redisOptions,
    // After a master dies its replica takes over within cluster-node-timeout and a little more:
    // keep asking for the slots until it has, rather than giving up on the command.
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    slotsRefreshTimeout: 2_000,
    clusterRetryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
  };
}

/**
 * True for errors that mean "Redis cannot serve us now", as opposed to a bug: not reachable, or
 * refusing writes (out of memory under noeviction, a read-only replica after a failover, a failed
 * disk, no replica keeping up under min-replicas-to-write). Twilio retries a 503 at its fallback URL.
 */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (
    error.name === 'ReplyError' &&
    /^(OOM|READONLY|MISCONF|LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|NOREPLICAS)/.test(error.message)
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
export async function waitUntilReady(redis: RedisClient, ms: number): Promise<boolean> {
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

export type ScriptRunner = (...args: (string | number | Buffer)[]) => Promise<unknown>;

/**
 * A Lua script as an ioredis command (defined once per client under `name`): sent by its SHA1
 * (EVALSHA), not its whole text on every call, which the profile showed as a real part of the
 * socket writes on the turn's path.
 */
export function defineScript(redis: RedisClient, name: string, keys: number, lua: string): ScriptRunner {
  const commands = redis as unknown as Record<string, ScriptRunner | undefined>;
  if (!commands[name]) redis.defineCommand(name, { numberOfKeys: keys, lua });
  const command = commands[name] as ScriptRunner;
  return (...args) => command.apply(redis, args);
}
