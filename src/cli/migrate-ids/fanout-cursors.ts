/**
 * A broadcast's fan-out that has not finished saved an SSCAN cursor into the learner index or a
 * group's member set. Once the migration rewrote those sets, the cursor no longer says where the
 * fan-out was: it starts over from the first page, and the delivery log (rekeyed) keeps anyone
 * already reached from getting the message again.
 */
import { eachKey, type Migration } from './migration.js';
import { PART } from './redis-keys.js';

export async function restartUnfinishedFanouts(m: Migration): Promise<void> {
  await eachKey(m, m.keys.broadcastProgress(PART, PART), async (key) => {
    const [done, cursor] = await m.redis.hmget(key, 'done', 'cursor');
    if (done === '1' || !cursor) return;
    await m.redis.hdel(key, 'cursor');
    m.count('unfinished fan-outs: restarted from the first page');
  });
}
