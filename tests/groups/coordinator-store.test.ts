// Coordinators are registered by E.164 number and recognised on SMS and WhatsApp alike.
import { beforeEach, describe, expect, it } from 'vitest';
import { CoordinatorStore } from '../../src/groups/coordinator-store.js';
import { useTestRedis } from '../support/test-redis.js';
import { Keyspace } from '../../src/store/keyspace.js';

const { redis, prefix, clear } = useTestRedis();
let now = 1_700_000_000_000;
const store = new CoordinatorStore(redis, new Keyspace(prefix), () => now);

beforeEach(async () => {
  await clear();
});

describe('CoordinatorStore', () => {
  it('registers a coordinator and finds them by SMS or WhatsApp address', async () => {
    expect(await store.register('+59171234567', ' Rosa Mamani ')).toEqual({
      phone: '+59171234567',
      name: 'Rosa Mamani',
      createdAt: now,
    });
    expect(await store.find('+59171234567')).toEqual({
      phone: '+59171234567',
      name: 'Rosa Mamani',
      createdAt: now,
    });
    expect(await store.find('whatsapp:+59171234567')).toMatchObject({ phone: '+59171234567' });
    expect(await store.isCoordinator('+59171234567')).toBe(true);
    expect(await store.isCoordinator('whatsapp:+59171234567')).toBe(true);
    expect(await store.isCoordinator('+59170000000')).toBe(false);
    expect(await store.find('+59170000000')).toBeNull();
    expect(await store.find('not a phone')).toBeNull();
  });

  it('is idempotent: registering again renames and keeps the first createdAt', async () => {
    const first = now;
    await store.register('+59171234567', 'Rosa');
    now += 60_000;
    expect(await store.register('+59171234567', 'Rosa Mamani')).toEqual({
      phone: '+59171234567',
      name: 'Rosa Mamani',
      createdAt: first,
    });
    expect(await store.list()).toEqual([{ phone: '+59171234567', name: 'Rosa Mamani', createdAt: first }]);
  });

  it('lists every coordinator, oldest first', async () => {
    await store.register('+59172222222', 'B');
    now += 1;
    await store.register('+59171111111', 'A');
    expect((await store.list()).map((c) => c.name)).toEqual(['B', 'A']);
  });

  it('refuses a number that is not E.164, and a blank name', async () => {
    await expect(store.register('whatsapp:+59171234567', 'Rosa')).rejects.toThrow(/E\.164/);
    await expect(store.register('71234567', 'Rosa')).rejects.toThrow(/E\.164/);
    await expect(store.register('+59171234567', '  ')).rejects.toThrow(/name/);
    expect(await store.list()).toEqual([]);
  });

  it('keeps its keys under the prefix, in one hash slot', async () => {
    await store.register('+59171234567', 'Rosa');
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.sort()).toEqual([`${prefix}{coordinators}:names`, `${prefix}{coordinators}:since`]);
  });
});
