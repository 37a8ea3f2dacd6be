/**
 * Moves every record of a person from the unkeyed ids (SHA-256 of the number) to the keyed ones
 * (PersonIds, under ID_SECRET), in one pass per kind of record. Run with every Ayni process
 * stopped; then start the new version.
 *
 * Resumable and idempotent: the map of old to new ids is rebuilt from what Redis holds at each
 * run (sessions keep the number, under whichever id), and every step rewrites one thing so that
 * it is either not done yet or done, never half: a run stopped anywhere and run again ends in
 * the same state, and a run after a finished one changes nothing.
 */
import type { Redis } from 'ioredis';
import type { PersonIds } from '../../privacy/person-ids.js';
import type { Keyspace } from '../../store/keyspace.js';
import { buildIdMap } from './build-map.js';
import { rekeyCompletionRecords } from './completion-records.js';
import { rekeyConsoleRecords } from './console-records.js';
import { rekeyDeliveryRecords } from './delivery-records.js';
import { restartUnfinishedFanouts } from './fanout-cursors.js';
import { rekeyIdSets } from './id-sets.js';
import { rekeyNudgeSets } from './nudge-sets.js';
import { rekeyJobRecords } from './job-records.js';
import { moveLearnerKeys, seedReplayLogs } from './learner-keys.js';
import type { Migration } from './migration.js';
import { rekeyQuizRecords } from './quiz-records.js';

export interface MigrationReport {
  /** people the map knows (learners and coordinators) */
  people: number;
  /** what changed, by kind */
  changes: Record<string, number>;
}

export class ForeignSessionsError extends Error {
  constructor(readonly count: number) {
    super(
      `${count} session(s) are stored under an id that is neither the old one nor the one ID_SECRET ` +
        'gives: was ID_SECRET changed since the data was written? Nothing was migrated.',
    );
    this.name = 'ForeignSessionsError';
  }
}

/** The steps, in order. */
const STEPS: ((m: Migration) => Promise<void>)[] = [
  moveLearnerKeys,
  seedReplayLogs,
  rekeyIdSets,
  rekeyNudgeSets,
  rekeyQuizRecords,
  rekeyCompletionRecords,
  rekeyDeliveryRecords,
  rekeyJobRecords,
  rekeyConsoleRecords,
];

export async function migrateIds(options: {
  redis: Redis;
  keys: Keyspace;
  ids: PersonIds;
  secret: string;
  /** called after each change; throwing there stops the run as a crash would (tests) */
  onChange?: (what: string) => void;
}): Promise<MigrationReport> {
  const { redis, keys, ids, secret } = options;
  const { map, foreign } = await buildIdMap(redis, keys, ids, secret);
  if (foreign > 0) throw new ForeignSessionsError(foreign);
  const changes: Record<string, number> = {};
  const m: Migration = {
    redis,
    keys,
    ids,
    map,
    count(what, n = 1) {
      if (n <= 0) return;
      changes[what] = (changes[what] ?? 0) + n;
      options.onChange?.(what);
    },
  };
  for (const step of STEPS) await step(m);
  const sets = Object.keys(changes).some(
    (what) => what.startsWith('learner index') || what.startsWith('group members'),
  );
  if (sets) await restartUnfinishedFanouts(m);
  return { people: map.size, changes };
}
