// How many commands one turn sends Redis: each costs the Node client tens of µs of CPU, and the
// webhook's throughput depends on it. Counted on a Redis of this file's own (MONITOR sees every
// client's commands), with the production client (auto-pipelining), nudges and the funnel on. A
// command run inside a Lua script is not the client's and is not counted.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NudgePolicy } from '../../src/conversation/nudge-policy.js';
import { createConversationEngine } from '../../src/plugins/create-engine.js';
import { createStores } from '../../src/plugins/create-stores.js';
import { parseAddress } from '../../src/privacy/phone.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { createRedis } from '../../src/store/redis-client.js';
import { realContent } from '../support/content.js';
import { FakeClock } from '../support/engine.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { startRedis, type RedisServerHandle } from '../support/redis-server.js';
import { waitFor } from '../support/wait-for.js';

const HOUR = 60 * 60 * 1000;
let server: RedisServerHandle;
let redis: Redis;
let monitor: Redis;
const seen: string[][] = [];

beforeAll(async () => {
  server = await startRedis();
  redis = createRedis(server.url);
  monitor = await new Redis(server.url).monitor();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua') seen.push(args.map(String));
  });
});

afterAll(async () => {
  monitor?.disconnect();
  redis?.disconnect();
  await server?.stop();
});

function newEngine() {
  const clock = new FakeClock(Date.parse('2026-03-02T09:00:00-04:00'));
  const keys = new Keyspace('ayni:');
  const stores = createStores(redis, keys, testPersonIds, { clock: clock.read });
  const nudgePolicy = new NudgePolicy({ delays: [24 * HOUR], quiet: null, tz: 'UTC' });
  const { engine } = createConversationEngine(realContent(), stores, { clock: clock.read, nudgePolicy });
  return { engine, clock, stores };
}

let sid = 0;
/** The commands (lower-case names, sorted) the client sent Redis for one message of `phone`. */
async function commandsOf(
  engine: ReturnType<typeof newEngine>['engine'],
  phone: string,
  body: string,
): Promise<string[]> {
  // Nothing of an earlier turn is still on its way: the marker comes back after it.
  const marker = `marker-${++sid}`;
  await redis.echo(marker);
  await waitFor('the marker', () => seen.some((args) => args[1] === marker));
  seen.length = 0;
  await engine.handle({
    address: parseAddress(phone)!,
    body,
    messageSid: `SM${String(sid).padStart(32, '0')}`,
  });
  // Commands the turn issued without waiting (counters) are sent before the marker.
  const end = `end-${sid}`;
  await redis.echo(end);
  await waitFor('the end marker', () => seen.some((args) => args[1] === end));
  const sent = seen.slice(
    0,
    seen.findIndex((args) => args[1] === end),
  );
  return sent.map((args) => args[0]!.toLowerCase()).sort();
}

describe('the Redis commands of a turn', () => {
  it('an ordinary turn mid-lesson on SMS', async () => {
    const { engine, clock } = newEngine();
    const phone = '+59171500001';
    for (const body of ['hola', '1', '1', '1']) {
      clock.advance(60_000);
      await commandsOf(engine, phone, body);
    }
    clock.advance(60_000);
    const commands = await commandsOf(engine, phone, '1');
    // Lock and load (the nudge mark looked at inside), save, the funnel's one event (the next step
    // reached) in one script, the next nudge's time.
    expect(commands).toEqual(['evalsha', 'evalsha', 'evalsha', 'zadd']);
    // Leaving the lesson (STOP) takes them off the due nudges.
    clock.advance(60_000);
    expect(await commandsOf(engine, phone, 'STOP')).toContain('zrem');
  });

  it('an ordinary turn mid-lesson of a learner in a group', async () => {
    const { engine, clock, stores } = newEngine();
    const phone = '+59171500004';
    const group = await stores.groups.create({ name: 'Feria', locale: 'es', coordinator: '+59171500099' });
    await stores.groups.join(group.id, learnerId(phone));
    for (const body of ['hola', '1', '1', '1']) {
      clock.advance(60_000);
      await commandsOf(engine, phone, body);
    }
    clock.advance(60_000);
    // The funnel's event counted overall and for the group, in the same script.
    expect(await commandsOf(engine, phone, '1')).toEqual(['evalsha', 'evalsha', 'evalsha', 'zadd']);
    const counts = await stores.funnel.read(realContent().course.lessons[0]!.id, clock.now, 1);
    expect(counts.some((count) => count.group === group.id)).toBe(true);
  });

  it('first contact, then a turn outside any lesson', async () => {
    const { engine, clock } = newEngine();
    const phone = '+59171500003';
    // The opt-out kept after BORRAR looked for, the learner index; nothing to take off the due
    // nudges (no session, so no turn put them there).
    expect(await commandsOf(engine, phone, 'hola')).toEqual(['evalsha', 'evalsha', 'exists', 'sadd']);
    clock.advance(60_000);
    // The language chosen: still outside a lesson, as the saved session was.
    expect(await commandsOf(engine, phone, '1')).toEqual(['evalsha', 'evalsha']);
  });

  it('a turn that answers a nudge', async () => {
    const { engine, clock, stores } = newEngine();
    const phone = '+59171500002';
    for (const body of ['hola', '1', '1', '1']) {
      clock.advance(60_000);
      await commandsOf(engine, phone, body);
    }
    clock.advance(25 * HOUR);
    await stores.nudgeStats.markNudged(learnerId(phone), clock.now, null);
    const commands = await commandsOf(engine, phone, '1');
    // Welcomed back at their step (no funnel event); the comeback counted in one script.
    expect(commands).toEqual(['evalsha', 'evalsha', 'evalsha', 'zadd']);
    expect(await redis.exists(stores.keyspace.learnerNudged(learnerId(phone)))).toBe(0);
    expect((await stores.nudgeStats.figures(clock.now, 1, null)).back).toBe(1);
  });
});
