// A throwaway Sentinel setup for tests: a primary, one replica, and three sentinels watching them
// under the name `ayni`, each on a free loopback port. down-after-milliseconds is small, so a
// killed primary is replaced within a few seconds.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { Child } from './children.js';
import { freePort, spawnRedis } from './redis-server.js';
import { waitFor } from './wait-for.js';

export const SENTINEL_NAME = 'ayni';

export interface RedisSentinelHandle {
  /** `127.0.0.1:<port>,…` of the three sentinels, for REDIS_SENTINELS */
  readonly sentinels: string;
  /** The port of the primary the sentinels name now. */
  primary(): Promise<number>;
  /** SIGKILLs the primary; resolves once the sentinels name the replica as the new primary and it accepts writes. */
  killPrimary(): Promise<number>;
  stop(): Promise<void>;
}

export async function startRedisSentinel(): Promise<RedisSentinelHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'ayni-sentinel-'));
  const children: Child[] = [];
  // prettier-ignore
  const server = (port: number, extra: string[] = []) => spawnRedis([
    '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--daemonize', 'no', '--logfile', '', ...extra,
  ], port);
  const primaryPort = await freePort();
  const replicaPort = await freePort();
  const primaryChild = await server(primaryPort);
  children.push(primaryChild, await server(replicaPort, ['--replicaof', '127.0.0.1', String(primaryPort)]));
  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const file = join(dir, `sentinel-${port}.conf`);
    await writeFile(
      file,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `sentinel monitor ${SENTINEL_NAME} 127.0.0.1 ${primaryPort} 2`,
        `sentinel down-after-milliseconds ${SENTINEL_NAME} 1000`,
        `sentinel failover-timeout ${SENTINEL_NAME} 5000`,
        `sentinel parallel-syncs ${SENTINEL_NAME} 1`,
        '',
      ].join('\n'),
    );
    children.push(await spawnRedis([file, '--sentinel'], port));
    sentinelPorts.push(port);
  }
  const ask = async (port: number): Promise<number | null> => {
    const client = new Redis(port, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      const [, found] = (await client.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', SENTINEL_NAME)) as [
        string,
        string,
      ];
      return Number(found);
    } catch {
      return null;
    } finally {
      client.disconnect();
    }
  };
  const replicaSynced = async (port: number): Promise<boolean> => {
    const client = new Redis(port, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      return /master_link_status:up/.test((await client.call('INFO', 'replication')) as string);
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };
  const roleIsMaster = async (port: number): Promise<boolean> => {
    const client = new Redis(port, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      return /role:master/.test((await client.call('INFO', 'replication')) as string);
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  };
  await waitFor('the replica to sync', () => replicaSynced(replicaPort), 15_000, undefined, 100);
  await waitFor(
    'every sentinel to know the primary and its replica',
    async () => (await Promise.all(sentinelPorts.map(ask))).every((port) => port === primaryPort),
    15_000,
    undefined,
    100,
  );

  return {
    sentinels: sentinelPorts.map((port) => `127.0.0.1:${port}`).join(','),
    async primary() {
      return (await ask(sentinelPorts[0]!)) ?? primaryPort;
    },
    async killPrimary() {
      await primaryChild.kill();
      await waitFor(
        'the sentinels to promote the replica',
        async () =>
          (await Promise.all(sentinelPorts.map(ask))).every((port) => port === replicaPort) &&
          (await roleIsMaster(replicaPort)),
        30_000,
        undefined,
        100,
      );
      return replicaPort;
    },
    async stop() {
      await Promise.all(children.map((child) => child.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
