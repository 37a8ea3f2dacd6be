// REDIS_CLUSTER_NODES and REDIS_SENTINELS: parsed to nodes, chosen over REDIS_URL, and a wrong
// value stops the start with a message that says which entry is wrong.
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET, loadConfig } from '../../src/config.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { isCluster, redisTargetOf } from '../../src/store/redis-client.js';

const BASE = { TWILIO_AUTH_TOKEN: 'test-auth-token', ID_SECRET: DEVELOPMENT_ID_SECRET };

describe('which Redis', () => {
  it('is REDIS_URL when neither a cluster nor sentinels are set', () => {
    expect(redisTargetOf(loadConfig({ ...BASE, REDIS_URL: 'redis://10.0.0.9:6380' }))).toBe(
      'redis://10.0.0.9:6380',
    );
  });

  it('is the cluster when REDIS_CLUSTER_NODES is set, whatever REDIS_URL says', () => {
    const config = loadConfig({
      ...BASE,
      REDIS_URL: 'redis://10.0.0.9:6380',
      REDIS_CLUSTER_NODES: ' 10.0.0.1:7000, redis-2.internal:7001,[::1]:7002 ',
    });
    const target = redisTargetOf(config);
    expect(target).toEqual({
      cluster: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-2.internal', port: 7001 },
        { host: '::1', port: 7002 },
      ],
    });
    expect(isCluster(target)).toBe(true);
  });

  it('is the sentinels’ primary with REDIS_SENTINELS and REDIS_SENTINEL_NAME', () => {
    const config = loadConfig({
      ...BASE,
      REDIS_SENTINELS: '10.0.0.1:26379,10.0.0.2:26379',
      REDIS_SENTINEL_NAME: 'ayni',
    });
    const target = redisTargetOf(config);
    expect(target).toEqual({
      sentinels: [
        { host: '10.0.0.1', port: 26379 },
        { host: '10.0.0.2', port: 26379 },
      ],
      name: 'ayni',
    });
    expect(isCluster(target)).toBe(false);
  });

  it.each([
    [{ REDIS_CLUSTER_NODES: '10.0.0.1' }, /REDIS_CLUSTER_NODES: not host:port: 10.0.0.1/],
    [{ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:99999' }, /not host:port: 10.0.0.2:99999/],
    [{ REDIS_SENTINELS: '10.0.0.1:26379' }, /REDIS_SENTINEL_NAME: required with REDIS_SENTINELS/],
    [
      { REDIS_CLUSTER_NODES: '10.0.0.1:7000', REDIS_SENTINELS: '10.0.0.1:26379', REDIS_SENTINEL_NAME: 'a' },
      /either REDIS_CLUSTER_NODES or REDIS_SENTINELS, not both/,
    ],
  ])('refuses %j and says why', (env, message) => {
    expect(() => loadConfig({ ...BASE, ...env })).toThrow(message);
  });
});

describe('BullMQ’s prefix', () => {
  it('is one hash tag in a cluster, and stays where it was on one Redis', () => {
    expect(new Keyspace('ayni:', { cluster: true }).bullPrefix()).toBe('{ayni:bull}');
    expect(new Keyspace('ayni:').bullPrefix()).toBe('ayni:bull');
  });
});
