import { Redis } from 'ioredis';
import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startRedis, type RedisServerHandle } from '../support/redis-server.js';
import { deleteByPrefix, useTestRedis } from '../support/test-redis.js';

describe('startRedis', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(opts?: Parameters<typeof startRedis>[0]): Promise<RedisServerHandle> {
    const server = await startRedis(opts);
    cleanups.push(() => server.stop());
    return server;
  }

  function connect(server: RedisServerHandle): Redis {
    // No reconnect: a client must not silently ride across our restarts.
    const client = new Redis(server.url, { lazyConnect: true, retryStrategy: () => null });
    cleanups.push(async () => client.disconnect());
    return client;
  }

  it('answers PING on the port it reports', async () => {
    const server = await start();
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`);
    const client = connect(server);
    expect(await client.ping()).toBe('PONG');
  });

  it('keeps data across restart() and kill() + restart() when appendOnly is on', async () => {
    const server = await start({ appendOnly: true });
    const port = server.port;

    const before = connect(server);
    await before.set('graceful', '1');
    await server.restart();
    expect(server.port).toBe(port);

    const afterRestart = connect(server);
    expect(await afterRestart.get('graceful')).toBe('1');
    await afterRestart.set('crash', '2'); // appendfsync always: on disk before the reply
    await server.kill();
    await server.restart();

    const afterCrash = connect(server);
    expect(await afterCrash.mget('graceful', 'crash')).toEqual(['1', '2']);
  });

  it('loses data across a restart without appendOnly (no RDB snapshots either)', async () => {
    const server = await start();
    const first = connect(server);
    await first.set('k', 'v');
    await server.restart();
    const second = connect(server);
    expect(await second.get('k')).toBeNull();
  });

  it('stop() ends the process', async () => {
    const server = await startRedis();
    await server.stop();
    const refused = await new Promise<string>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port: server.port });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('useTestRedis', () => {
  const t = useTestRedis();

  it('writes under its own prefix and clears only that prefix', async () => {
    expect(t.prefix).toMatch(/^test:[0-9a-f]+:$/);
    const outsider = `other:${t.prefix}`; // a key that only contains the prefix
    await t.redis.set(t.key('a'), '1');
    await t.redis.set(t.key('b', 2), '1');
    await t.redis.set(outsider, '1');
    try {
      expect(await t.clear()).toBe(2);
      expect(await t.redis.exists(t.key('a'), t.key('b', 2), outsider)).toBe(1);
    } finally {
      await t.redis.del(outsider);
    }
  });

  it('refuses glob characters in a prefix', async () => {
    await expect(deleteByPrefix(t.redis, 'test:*')).rejects.toThrow(/unsafe prefix/);
    await expect(deleteByPrefix(t.redis, '')).rejects.toThrow(/unsafe prefix/);
  });
});
