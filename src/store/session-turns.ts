/**
 * One turn at a time per learner, across every app process, in two Redis round trips: one script
 * takes the learner's lock and reads their session and group, another saves the session and
 * releases the lock. Both keys carry the learner's hash tag, so the scripts also run on a Redis Cluster.
 * A turn that outlived its lock (it expired and another turn took it) saves nothing and fails,
 * rather than overwrite the newer turn's session.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from './keyspace.js';
import { newLockToken, RELEASE_LUA, untilAcquired } from './sender-lock.js';
import type { SessionRecord } from './session-store.js';

// A lock already holding our own token means this script ran before and its reply was lost
// (ioredis re-sends unanswered commands after a reconnect): the turn has the lock.
const LOCK_AND_LOAD = `
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') or redis.call('get', KEYS[1]) == ARGV[1] then
  return {1, redis.call('get', KEYS[2]) or '', redis.call('get', KEYS[3]) or ''}
end
return {0}`;

// Not holding the lock any more is fine when the session already is what we save: this script
// ran before and its reply was lost, then the lock was released by that first run.
const SAVE_AND_UNLOCK = `
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  if redis.call('get', KEYS[2]) == ARGV[2] then return 1 end
  return 0
end
redis.call('set', KEYS[2], ARGV[2])
redis.call('del', KEYS[1])
return 1`;

export class LockLostError extends Error {
  constructor() {
    super('the turn took longer than its lock; its changes were not saved');
    this.name = 'LockLostError';
  }
}

export interface TurnOutcome<T> {
  value: T;
  /** the session to save, if the turn changed it */
  save?: SessionRecord;
}

type ScriptRunner = (...args: (string | number)[]) => Promise<unknown>;

/**
 * The scripts as ioredis commands: sent by their SHA1 (EVALSHA), not their whole text on every
 * turn, which the profile showed as a real part of the socket writes.
 */
function script(redis: Redis, name: string, keys: number, lua: string): ScriptRunner {
  const commands = redis as unknown as Record<string, ScriptRunner | undefined>;
  if (!commands[name]) redis.defineCommand(name, { numberOfKeys: keys, lua });
  const command = commands[name] as ScriptRunner;
  return (...args) => command.apply(redis, args);
}

export class SessionTurns {
  private readonly lockAndLoad: ScriptRunner;
  private readonly saveAndUnlock: ScriptRunner;
  private readonly unlock: ScriptRunner;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
    private readonly options = { ttlMs: 10_000, waitMs: 10_000 },
  ) {
    this.lockAndLoad = script(redis, 'ayniLockAndLoad3', 3, LOCK_AND_LOAD);
    this.saveAndUnlock = script(redis, 'ayniSaveAndUnlock', 2, SAVE_AND_UNLOCK);
    this.unlock = script(redis, 'ayniUnlock', 1, RELEASE_LUA);
  }

  /** Runs `work` with the learner's session and the id of their group (null when in none). */
  async run<T>(
    learner: string,
    work: (record: SessionRecord | null, group: string | null) => Promise<TurnOutcome<T>>,
  ): Promise<T> {
    const lock = this.keys.lock(learner);
    const session = this.keys.session(learner);
    const token = newLockToken();
    const group = this.keys.learnerGroup(learner);
    const [raw, groupId] = await untilAcquired(this.options.waitMs, async () => {
      const [locked, value, inGroup] = (await this.lockAndLoad(
        lock,
        session,
        group,
        token,
        this.options.ttlMs,
      )) as [number, string?, string?];
      return locked === 1 ? ([value ?? '', inGroup ?? ''] as const) : null;
    });
    let outcome: TurnOutcome<T>;
    try {
      outcome = await work(raw ? (JSON.parse(raw) as SessionRecord) : null, groupId || null);
    } catch (error) {
      await this.unlock(lock, token).catch(() => undefined);
      throw error;
    }
    if (!outcome.save) {
      await this.unlock(lock, token).catch(() => undefined);
      return outcome.value;
    }
    // The index broadcasts page through. A learner's first turn adds them before the session is
    // saved, so that no failure in between can leave a session outside the index (the reverse,
    // an index entry without a session, is skipped by broadcasts as deleted). Kept apart from
    // the script: the index is one key in its own Cluster slot.
    if (outcome.save.turns === 1) await this.redis.sadd(this.keys.learners(), learner);
    const saved = await this.saveAndUnlock(lock, session, token, JSON.stringify(outcome.save));
    if (saved !== 1) throw new LockLostError();
    return outcome.value;
  }
}
