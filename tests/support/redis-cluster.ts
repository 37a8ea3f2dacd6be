// A throwaway Redis Cluster for tests (and the benchmark): six `redis-server --cluster-enabled yes` processes on free
// loopback ports (three masters, three replicas) joined with `redis-cli --cluster create`, each
// with its own temporary dir. A small cluster-node-timeout makes a killed master's replica take
// over within a few seconds.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { startChild, type Child } from './children.js';
import { freePort, spawnRedis } from './redis-server.js';
import { waitFor } from './wait-for.js';

/** How long a master may be silent before the cluster counts it as failed. */
export const CLUSTER_NODE_TIMEOUT_MS = 1_000;

interface Node {
  port: number;
  child: Child | undefined;
}

export interface RedisClusterHandle {
  /** `127.0.0.1:<port>,…` of every node, for REDIS_CLUSTER_NODES */
  readonly seeds: string;
  readonly ports: readonly number[];
  /** The port of the master serving `key` now. */
  masterOf(key: string): Promise<number>;
  /** SIGKILLs the node on `port`; resolves once its replica has taken over and the cluster is ok. */
  killMaster(port: number): Promise<void>;
  /** Stops every node and removes their dirs. */
  stop(): Promise<void>;
}

/** `replicas`: per master (default 1: three masters, three replicas; 0 for the benchmark's three masters). */
export async function startRedisCluster(options: { replicas?: number } = {}): Promise<RedisClusterHandle> {
  const replicas = options.replicas ?? 1;
  const nodeCount = 3 * (1 + replicas);
  const dir = await mkdtemp(join(tmpdir(), 'ayni-cluster-'));
  const nodes: Node[] = [];
  for (let i = 0; i < nodeCount; i++) {
    const port = await freePort();
    // prettier-ignore
    const child = await spawnRedis([
      '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
      '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${port}.conf`),
      '--cluster-node-timeout', String(CLUSTER_NODE_TIMEOUT_MS), '--dir', dir,
      '--daemonize', 'no', '--logfile', '',
    ], port);
    nodes.push({ port, child });
  }
  const ports = nodes.map((node) => node.port);
  const addresses = ports.map((port) => `127.0.0.1:${port}`);
  const create = startChild('redis-cli', [
    '--cluster',
    'create',
    ...addresses,
    '--cluster-replicas',
    String(replicas),
    '--cluster-yes',
  ]);
  const created = await create.exited;
  if (created.code !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.output()}`);
  const live = () => nodes.filter((node) => node.child?.alive());
  await waitUntilOk(live().map((node) => node.port));

  return {
    seeds: addresses.join(','),
    ports,
    async masterOf(key) {
      const client = new Redis(live()[0]!.port, { lazyConnect: true });
      try {
        const slot = (await client.call('CLUSTER', 'KEYSLOT', key)) as number;
        const ranges = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
        const range = ranges.find(([from, to]) => slot >= from && slot <= to);
        if (!range) throw new Error(`no master serves slot ${slot}`);
        return range[2][1];
      } finally {
        client.disconnect();
      }
    },
    async killMaster(port) {
      const node = nodes.find((n) => n.port === port);
      await node?.child?.kill();
      await waitUntilOk(
        live().map((n) => n.port),
        port,
      );
    },
    async stop() {
      await Promise.all(nodes.map((node) => node.child?.stop()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Every live node says `cluster_state:ok`, every slot is served, and no live node still names
 * `gone` (a killed master) as the master of any slot.
 */
async function waitUntilOk(ports: number[], gone?: number): Promise<void> {
  let last = '';
  await waitFor(
    'the Redis Cluster to be ok on every node',
    async () => {
      const states = await Promise.all(ports.map((port) => clusterState(port, gone)));
      last = states.join('\n');
      return states.every((state) => state === 'ok');
    },
    30_000,
    () => last,
    100,
  );
}

async function clusterState(port: number, gone?: number): Promise<string> {
  const client = new Redis(port, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    const info = (await client.call('CLUSTER', 'INFO')) as string;
    if (!/cluster_state:ok/.test(info) || !/cluster_slots_ok:16384/.test(info)) return `${port}: ${info}`;
    if (gone === undefined) return 'ok';
    const slots = (await client.call('CLUSTER', 'SLOTS')) as [number, number, [string, number]][];
    return slots.some((range) => range[2][1] === gone) ? `${port}: still routes to ${gone}` : 'ok';
  } catch (error) {
    return `${port}: ${(error as Error).message}`;
  } finally {
    client.disconnect();
  }
}
