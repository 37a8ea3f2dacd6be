/**
 * The map of old ids to new ones, from the numbers Ayni keeps: each session's address (under its
 * old id or, after a former run, its new one) and each coordinator's number.
 */
import type { Redis } from 'ioredis';
import type { PersonIds } from '../../privacy/person-ids.js';
import { parseAddress } from '../../privacy/phone.js';
import type { Keyspace } from '../../store/keyspace.js';
import type { SessionRecord } from '../../store/session-store.js';
import { IdMap, legacyLearnerId } from './id-map.js';
import { KeyPattern, PART, scanKeys } from './redis-keys.js';

export interface BuiltMap {
  map: IdMap;
  /** sessions whose address is neither their old id's nor their new id's: left as they are */
  foreign: number;
}

export async function buildIdMap(
  redis: Redis,
  keys: Keyspace,
  ids: PersonIds,
  secret: string,
): Promise<BuiltMap> {
  const map = new IdMap(ids, secret);
  const sessions = new KeyPattern(keys.session(PART));
  let foreign = 0;
  for await (const page of scanKeys(redis, sessions.glob)) {
    for (const key of page) {
      const id = sessions.match(key)?.[0];
      const raw = id ? await redis.get(key) : null;
      if (!id || !raw) continue;
      const phone = parseAddress((JSON.parse(raw) as SessionRecord).address)?.phone;
      if (phone && (id === legacyLearnerId(phone) || id === ids.learnerId(phone))) map.addPhone(phone);
      else foreign++;
    }
  }
  for (const phone of await redis.hkeys(keys.coordinatorNames())) map.addPhone(phone);
  return { map, foreign };
}
