/**
 * One turn at a time per learner, across every app process, in two Redis round trips: one script
 * takes the learner's lock and reads their session, group and whether this message was handled
 * before; another saves the session, remembers the message and releases the lock. Every key
 * carries the learner's hash tag, so the scripts also run on a Redis Cluster.
 * A turn that outlived its lock (it expired and another turn took it) saves nothing and fails,
 * rather than overwrite the newer turn's session.
 *
 * The replay log (Keyspace.replayLog): a signed request captured and sent again later carries a
 * MessageSid already handled, at any distance in the past. Each handled sid leaves a 6-byte keyed
 * fingerprint in one string per learner, kept for good (and after BORRAR); a message whose
 * fingerprint is there is a duplicate and changes nothing.
 */
import { defineScript, type RedisClient, type ScriptRunner } from './redis-client.js';
import type { PersonIds } from '../privacy/person-ids.js';
import type { Keyspace } from './keyspace.js';
import { LearnerIndex } from './learner-index.js';
import { newLockToken, RELEASE_LUA, untilAcquired } from './sender-lock.js';
import type { SessionRecord } from './session-store.js';

// Whether the fingerprint ARGV[n] is one of the log's records: a match must start on a record's
// boundary. Then REMEMBER appends it unless it is there. The log is rewritten whole (SET rather
// than APPEND) so Redis allocates exactly its size instead of doubling it ahead.
const replayLua = (log: string, fp: string) => `
local function handled(log, fp)
  if not log then return false end
  local at = string.find(log, fp, 1, true)
  while at do
    if (at - 1) % #fp == 0 then return true end
    at = string.find(log, fp, at + 1, true)
  end
  return false
end
local function remember()
  local log = redis.call('get', ${log})
  if handled(log, ${fp}) then return 0 end
  redis.call('set', ${log}, (log or '') .. ${fp})
  return 1
end`;

/** Appends fingerprint ARGV[1] to the replay log KEYS[1] unless it is there already (then 0). */
export const REMEMBER_LUA = `${replayLua('KEYS[1]', 'ARGV[1]')}
return remember()`;

// A lock already holding our own token means this script ran before and its reply was lost
// (ioredis re-sends unanswered commands after a reconnect): the turn has the lock.
const LOCK_AND_LOAD = `${replayLua('KEYS[4]', 'ARGV[3]')}
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') or redis.call('get', KEYS[1]) == ARGV[1] then
  local replayed = handled(redis.call('get', KEYS[4]), ARGV[3]) and 1 or 0
  return {1, redis.call('get', KEYS[2]) or '', redis.call('get', KEYS[3]) or '', replayed}
end
return {0}`;

// Not holding the lock any more is fine when the session already is what we save: this script
// ran before and its reply was lost, then the lock was released by that first run.
const SAVE_AND_UNLOCK = `${replayLua('KEYS[3]', 'ARGV[3]')}
if redis.call('get', KEYS[1]) ~= ARGV[1] then
  if redis.call('get', KEYS[2]) == ARGV[2] then
    remember()
    return 1
  end
  return 0
end
redis.call('set', KEYS[2], ARGV[2])
remember()
redis.call('del', KEYS[1])
return 1`;

// A turn with nothing to save (a duplicate, BORRAR): the message is handled all the same.
const REMEMBER_AND_UNLOCK = `${replayLua('KEYS[2]', 'ARGV[2]')}
remember()
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return 1`;

export class LockLostError extends Error {
  constructor() {
    super('the turn took longer than its lock; its changes were not saved');
    this.name = 'LockLostError';
  }
}

/** What a turn starts from. */
export interface Loaded {
  /** the learner's session; null before their first message or after BORRAR */
  record: SessionRecord | null;
  /** the id of their group; null when in none */
  group: string | null;
  /** this MessageSid was handled before (its fingerprint is in the replay log) */
  replayed: boolean;
}

export interface TurnOutcome<T> {
  value: T;
  /** the session to save, if the turn changed it */
  save?: SessionRecord;
  /**
   * Commands on keys outside the learner's slot (due nudges, counters), issued right after the
   * save script in the same tick, so ioredis sends them in the same socket write. Their failure
   * does not fail the turn, whose session is saved.
   */
  along?: () => Promise<unknown>;
}

export class SessionTurns {
  private readonly lockAndLoad: ScriptRunner;
  private readonly saveAndUnlock: ScriptRunner;
  private readonly rememberAndUnlock: ScriptRunner;
  private readonly unlock: ScriptRunner;
  private readonly index: LearnerIndex;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly ids: PersonIds,
    private readonly options = { ttlMs: 10_000, waitMs: 10_000 },
  ) {
    this.index = new LearnerIndex(redis, keys);
    this.lockAndLoad = defineScript(redis, 'ayniLockAndLoad4', 4, LOCK_AND_LOAD);
    this.saveAndUnlock = defineScript(redis, 'ayniSaveAndUnlock3', 3, SAVE_AND_UNLOCK);
    this.rememberAndUnlock = defineScript(redis, 'ayniRememberAndUnlock', 2, REMEMBER_AND_UNLOCK);
    this.unlock = defineScript(redis, 'ayniUnlock', 1, RELEASE_LUA);
  }

  /**
   * Runs `work` for message `messageSid` with what the learner's turn starts from. A turn that
   * fails leaves the message unhandled, so that Twilio's retry of it acts.
   */
  async run<T>(
    learner: string,
    messageSid: string,
    work: (loaded: Loaded) => Promise<TurnOutcome<T>>,
  ): Promise<T> {
    const lock = this.keys.lock(learner);
    const replay = this.keys.replayLog(learner);
    const fingerprint = this.ids.messageFingerprint(messageSid);
    const token = newLockToken();
    const { raw, group, replayed } = await this.load(learner, token, fingerprint);
    let outcome: TurnOutcome<T>;
    try {
      const record = raw ? (JSON.parse(raw) as SessionRecord) : null;
      outcome = await work({ record, group, replayed });
    } catch (error) {
      await this.unlock(lock, token).catch(() => undefined);
      throw error;
    }
    if (!outcome.save) {
      await this.rememberAndUnlock(lock, replay, token, fingerprint);
      return outcome.value;
    }
    // The index broadcasts page through. A learner's first turn adds them before the session is
    // saved, so that no failure in between can leave a session outside the index (the reverse,
    // an index entry without a session, is skipped by broadcasts as deleted). Kept apart from
    // the script: the index's buckets are keys in their own Cluster slots.
    if (outcome.save.turns === 1) await this.index.add(learner);
    const session = this.keys.session(learner);
    const saving = this.saveAndUnlock(
      lock,
      session,
      replay,
      token,
      JSON.stringify(outcome.save),
      fingerprint,
    );
    const along = outcome.along?.().catch(() => undefined);
    const [saved] = await Promise.all([saving, along]);
    if (saved !== 1) throw new LockLostError();
    return outcome.value;
  }

  /** Takes the learner's lock (waiting for their previous turn) and reads what the turn needs. */
  private async load(
    learner: string,
    token: string,
    fingerprint: Buffer,
  ): Promise<{ raw: string; group: string | null; replayed: boolean }> {
    const keys = [
      this.keys.lock(learner),
      this.keys.session(learner),
      this.keys.learnerGroup(learner),
      this.keys.replayLog(learner),
    ];
    return untilAcquired(this.options.waitMs, async () => {
      const [locked, raw, group, replayed] = (await this.lockAndLoad(
        ...keys,
        token,
        this.options.ttlMs,
        fingerprint,
      )) as [number, string?, string?, number?];
      if (locked !== 1) return null;
      return { raw: raw ?? '', group: group || null, replayed: replayed === 1 };
    });
  }
}
