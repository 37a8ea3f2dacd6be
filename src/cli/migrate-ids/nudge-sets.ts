/**
 * The due-nudge sets (Keyspace.nudgesDue): each learner's entry moves to their keyed id, in the
 * bucket of that id, with its due time; an erased learner's entry goes. Safe to run again: an
 * entry under a keyed id is left as it is.
 */
import { NUDGE_BUCKETS } from '../../store/keyspace.js';
import { isTombstone, type Migration } from './migration.js';

export async function rekeyNudgeSets(m: Migration): Promise<void> {
  for (let bucket = 0; bucket < NUDGE_BUCKETS; bucket++) {
    const key = m.keys.nudgesDue(bucket);
    let cursor = '0';
    do {
      const [next, flat] = await m.redis.zscan(key, cursor, 'COUNT', 500);
      cursor = next;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const [member, due] = [flat[i]!, flat[i + 1]!];
        const to = m.map.rekey(member);
        if (!to) continue;
        if (!isTombstone(to)) await m.redis.zadd(m.keys.nudgesDueOf(to), due, to);
        await m.redis.zrem(key, member);
        m.count('due nudges: ids rekeyed');
      }
    } while (cursor !== '0');
  }
}
