/** What every step of the id migration works with, and the helpers that rekey inside one key. */
import type { Redis } from 'ioredis';
import type { PersonIds } from '../../privacy/person-ids.js';
import type { Keyspace } from '../../store/keyspace.js';
import { TOMBSTONE, type IdMap } from './id-map.js';
import { KeyPattern, scanKeys } from './redis-keys.js';

export interface Migration {
  redis: Redis;
  keys: Keyspace;
  ids: PersonIds;
  map: IdMap;
  /** counts a change, by what changed */
  count(what: string, n?: number): void;
}

/** A tombstone: an id no kept number explains (see id-map.ts). */
export const isTombstone = (id: string) => id.startsWith(TOMBSTONE);

/** Calls `each` with every key of the family `name` (built with PART) and its variable parts. */
export async function eachKey(
  m: Migration,
  name: string,
  each: (key: string, parts: string[]) => Promise<void>,
): Promise<void> {
  const pattern = new KeyPattern(name);
  for await (const page of scanKeys(m.redis, pattern.glob)) {
    for (const key of page) {
      const parts = pattern.match(key);
      if (parts) await each(key, parts);
    }
  }
}

/**
 * Rekeys the fields of hash `key` that are ids; the field under the new id wins if both exist.
 * One key, one MULTI: atomic.
 */
export async function rekeyFields(m: Migration, key: string): Promise<number> {
  let changed = 0;
  for (const [field, value] of Object.entries(await m.redis.hgetall(key))) {
    const to = m.map.rekey(field);
    if (!to) continue;
    await m.redis.multi().hsetnx(key, to, value).hdel(key, field).exec();
    changed++;
  }
  return changed;
}

/**
 * Rekeys the members of set `key`; a member no kept number explains is dropped (a set of ids
 * says who to reach, and nobody can be reached there). SSCAN returns every member present from
 * start to end; members added meanwhile are current ids, which stay. `into` names the set a
 * rekeyed member goes to (the learner index's bucket of the new id); by default, the same set.
 */
export async function rekeyMembers(
  m: Migration,
  key: string,
  into: (to: string) => string = () => key,
): Promise<number> {
  let changed = 0;
  let cursor = '0';
  do {
    const [next, members] = await m.redis.sscan(key, cursor, 'COUNT', 500);
    cursor = next;
    for (const member of members) {
      const to = m.map.rekey(member);
      if (!to) continue;
      // Added before it is removed: two commands, as the two sets may be in different slots.
      if (!isTombstone(to)) await m.redis.sadd(into(to), to);
      await m.redis.srem(key, member);
      changed++;
    }
  } while (cursor !== '0');
  return changed;
}
