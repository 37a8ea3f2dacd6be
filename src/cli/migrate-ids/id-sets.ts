/**
 * Sets of ids and the keys named by a coordinator's id: the learner index, every group's members,
 * and each coordinator's list of groups.
 */
import { eachKey, isTombstone, rekeyMembers, type Migration } from './migration.js';
import { LearnerIndex } from '../../store/learner-index.js';
import { moveKey, PART } from './redis-keys.js';

export async function rekeyIdSets(m: Migration): Promise<void> {
  // The index before it had buckets goes into its buckets first; then each bucket's old ids
  // move to the bucket of their keyed id.
  const index = new LearnerIndex(m.redis, m.keys);
  m.count('learner index: moved into buckets', await index.moveLegacy());
  for (const bucket of m.keys.learnerIndexBuckets()) {
    const rekeyed = await rekeyMembers(m, bucket, (to) => m.keys.learnerIndex(to));
    m.count('learner index: ids rekeyed', rekeyed);
  }
  await eachKey(m, m.keys.members(PART), async (key) => {
    m.count('group members: ids rekeyed', await rekeyMembers(m, key));
  });
  await eachKey(m, m.keys.coordinatorGroups(PART), async (key, [id = '']) => {
    const to = m.map.rekey(id);
    if (!to) return;
    // A coordinator is never erased, so a tombstone here keeps the list rather than lose it.
    const moved = await moveKey(m.redis, key, m.keys.coordinatorGroups(to), async (from, into) => {
      const groups = await m.redis.smembers(from);
      if (groups.length) await m.redis.sadd(into, ...groups);
    });
    m.count(`coordinator group lists: ${moved}${isTombstone(to) ? ' (unknown coordinator)' : ''}`);
  });
}
