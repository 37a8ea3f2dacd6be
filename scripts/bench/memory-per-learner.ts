/**
 * Redis memory per learner, by contributor: what the benchmark (memory.ts) and the memory test
 * (tests/http/replay.test.ts) both count, so their figures are the same figure. MEMORY USAGE of
 * - the learner's own keys: every key BORRAR deletes or keeps (Keyspace.erasedWithLearner,
 *   keptAfterErasure): the session, the lock, the replay log, the nudged mark, group, quiz points…;
 * - their share of the sets many learners share: the learner index's buckets (bytes per member)
 *   and the due-nudge sets (bytes per member, times the share of the learners measured who wait
 *   for a nudge: one who finished a lesson waits for none).
 * Funnel and nudge counters count days, not learners: they are not per learner.
 */
import type { Redis } from 'ioredis';
import { NUDGE_BUCKETS, type Keyspace } from '../../src/store/keyspace.js';

export interface LearnerMemory {
  /** bytes per learner, each contributor and their sum (`total`) */
  bytes: Record<'session' | 'replayLog' | 'otherKeys' | 'learnerIndex' | 'nudgesDue' | 'total', number>;
  /** OBJECT ENCODING of the learner index buckets and of the due-nudge sets (e.g. listpack, skiplist) */
  encodings: { learnerIndex: string[]; nudgesDue: string[] };
}

const usage = async (redis: Redis, key: string) => (await redis.memory('USAGE', key)) ?? 0;

async function encodings(redis: Redis, keys: string[]): Promise<string[]> {
  const found = await Promise.all(keys.map((key) => redis.object('ENCODING', key)));
  return [...new Set(found.filter((e): e is string => typeof e === 'string'))].sort();
}

/** The memory of these learners (keyed ids), each contributor per learner. */
export async function learnerMemory(
  redis: Redis,
  keys: Keyspace,
  learners: string[],
): Promise<LearnerMemory> {
  let session = 0;
  let replayLog = 0;
  let otherKeys = 0;
  for (const id of learners) {
    session += await usage(redis, keys.session(id));
    replayLog += await usage(redis, keys.replayLog(id));
    const others = [...keys.erasedWithLearner(id), ...keys.keptAfterErasure(id)].filter(
      (key) => key !== keys.session(id) && key !== keys.replayLog(id),
    );
    for (const key of others) otherKeys += await usage(redis, key);
  }
  let indexBytes = 0;
  let indexed = 0;
  for (const bucket of keys.learnerIndexBuckets()) {
    indexBytes += await usage(redis, bucket);
    indexed += await redis.scard(bucket);
  }
  const dueSets = Array.from({ length: NUDGE_BUCKETS }, (_, n) => keys.nudgesDue(n));
  let dueBytes = 0;
  let due = 0;
  for (const key of dueSets) {
    dueBytes += await usage(redis, key);
    due += await redis.zcard(key);
  }
  let oursDue = 0; // of these learners, those waiting for a nudge (the sets may hold others too)
  for (const id of learners) if ((await redis.zscore(keys.nudgesDueOf(id), id)) !== null) oursDue++;

  const n = learners.length;
  const bytes = {
    session: session / n,
    replayLog: replayLog / n,
    otherKeys: otherKeys / n,
    learnerIndex: indexed ? indexBytes / indexed : 0,
    nudgesDue: due ? ((dueBytes / due) * oursDue) / n : 0,
    total: 0,
  };
  bytes.total = bytes.session + bytes.replayLog + bytes.otherKeys + bytes.learnerIndex + bytes.nudgesDue;
  return {
    bytes,
    encodings: {
      learnerIndex: await encodings(redis, keys.learnerIndexBuckets()),
      nudgesDue: await encodings(redis, dueSets),
    },
  };
}
