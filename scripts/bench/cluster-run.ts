/**
 * The benchmark's cluster run: the same inbound load as run.ts against Ayni on a throwaway Redis
 * Cluster of three masters (no replicas: the cost measured is the cluster client's, not
 * replication's) and, alternately, against Ayni on the single throwaway Redis of run.ts. The
 * machine is shared and its load changes from minute to minute, so the two are measured in turns
 * (single, cluster, single, cluster) and each keeps its better run: their ratio compares like
 * with like. run.ts passes its own load generator and server starter.
 */
import type { ChildProcess } from 'node:child_process';
import { startRedisCluster } from '../../tests/support/redis-cluster.js';

export interface ClusterRunDeps<R> {
  /** one autocannon run against `url`; `tag` (hex digits: a MessageSid is SM and 32 of them) keeps MessageSids unique across runs */
  load(url: string, tag: string): Promise<R>;
  startServer(entry: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }>;
  stop(child: ChildProcess): Promise<void>;
  /** the environment of run.ts's single-Redis run; the cluster server gets REDIS_CLUSTER_NODES */
  env: Record<string, string>;
}

const ROUNDS = 2;

/** Ayni on one Redis and on three masters, measured in turns; null when BENCH_CLUSTER=0. */
export async function clusterRun<R extends { rps: number }>(
  deps: ClusterRunDeps<R>,
): Promise<{ single: R; cluster: R } | null> {
  if (process.env.BENCH_CLUSTER === '0') return null;
  const cluster = await startRedisCluster({ replicas: 0 });
  try {
    const single = await deps.startServer('src/server.ts', { ...deps.env, REDIS_PREFIX: 'single:' });
    const onCluster = await deps.startServer('src/server.ts', {
      ...deps.env,
      REDIS_CLUSTER_NODES: cluster.seeds,
      REDIS_PREFIX: 'ayni:',
    });
    // Warm-up: JIT, connections, the cluster's slot map.
    await deps.load(single.url, 'd0');
    await deps.load(onCluster.url, 'c0');
    const runs = { single: [] as R[], cluster: [] as R[] };
    for (let round = 1; round <= ROUNDS; round++) {
      runs.single.push(await deps.load(single.url, `d${round}`));
      runs.cluster.push(await deps.load(onCluster.url, `c${round}`));
    }
    await Promise.all([deps.stop(single.child), deps.stop(onCluster.child)]);
    return { single: best(runs.single), cluster: best(runs.cluster) };
  } finally {
    await cluster.stop();
  }
}

const best = <R extends { rps: number }>(runs: R[]): R => runs.reduce((a, b) => (b.rps > a.rps ? b : a));
