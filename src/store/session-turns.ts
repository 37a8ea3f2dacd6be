/**
 * One turn at a time per learner, across every app process, in two Redis round trips: one script
 * takes the learner's lock and reads their session, group and whether this message was handled
 * before, and takes their mark of a recent nudge (so the turn can count a comeback with no command
 * of its own); another saves the session, remembers the message and releases the lock. Every key
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
import { nudgeMarkOf, type NudgeMark } from './nudge-stats.js';
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
// The nudge mark (KEYS[5]) is taken with its time left, which a failed turn puts back; a message
// handled before leaves it, as its turn counts nothing.
const LOCK_AND_LOAD = `${replayLua('KEYS[4]', 'ARGV[3]')}
if redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') or redis.call('get', KEYS[1]) == ARGV[1] then
  local replayed = handled(redis.call('get', KEYS[4]), ARGV[3]) and 1 or 0
  local mark, markTtl = false, 0
  if replayed == 0 then mark = redis.call('get', KEYS[5]) end
  if mark then
    markTtl = redis.call('pttl', KEYS[5])
    redis.call('del', KEYS[5])
  end
  return {1, redis.call('get', KEYS[2]) or '', redis.call('get', KEYS[3]) or '', replayed, mark or '', markTtl}
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
  /**
   * the learner was nudged within 24 hours (their mark, taken by this turn; null when there was
   * none, or the message was handled before)
   */
  nudged: NudgeMark | null;
}

/** The nudge mark as the lock-and-load script took it: its text and its time left (ms). */
interface TakenMark {
  raw: string;
  ttl: number;
  takenAt: number;
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
  /**
   * The message was handled before (a duplicate): the turn changed nothing, so the nudge mark the
   * lock-and-load script took goes back. The script leaves it for a message the replay log knows;
   * this covers the ones only an old session's `seen` knows.
   */
  unchanged?: boolean;
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
    this.lockAndLoad = defineScript(redis, 'ayniLockAndLoad5', 5, LOCK_AND_LOAD);
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
    const { raw, group, replayed, mark } = await this.load(learner, token, fingerprint);
    let outcome: TurnOutcome<T>;
    try {
      const record = raw ? (JSON.parse(raw) as SessionRecord) : null;
      outcome = await work({ record, group, replayed, nudged: nudgeMarkOf(mark?.raw) });
    } catch (error) {
      // The mark goes back before the lock is released (same slot, same connection, in order),
      // so that Twilio's retry of the message finds it, as if this turn had never run.
      const putBack = mark ? this.putBackMark(learner, mark) : null;
      await Promise.all([putBack, this.unlock(lock, token)]).catch(() => undefined);
      throw error;
    }
    if (!outcome.save) {
      // Before the unlock, as on failure: the next message finds the mark.
      if (outcome.unchanged && mark) await this.putBackMark(learner, mark)?.catch(() => undefined);
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
  ): Promise<{ raw: string; group: string | null; replayed: boolean; mark: TakenMark | null }> {
    const keys = [
      this.keys.lock(learner),
      this.keys.session(learner),
      this.keys.learnerGroup(learner),
      this.keys.replayLog(learner),
      this.keys.learnerNudged(learner),
    ];
    return untilAcquired(this.options.waitMs, async () => {
      const [locked, raw, group, replayed, mark, markTtl] = (await this.lockAndLoad(
        ...keys,
        token,
        this.options.ttlMs,
        fingerprint,
      )) as [number, string?, string?, number?, string?, number?];
      if (locked !== 1) return null;
      return {
        raw: raw ?? '',
        group: group || null,
        replayed: replayed === 1,
        mark: mark ? { raw: mark, ttl: markTtl ?? -1, takenAt: Date.now() } : null,
      };
    });
  }

  /**
   * A failed turn's nudge mark back, with the time it had left, unless a newer nudge marked the
   * learner meanwhile. A mark without a time left (never written so) goes back without one.
   */
  private putBackMark(learner: string, mark: TakenMark): Promise<unknown> | null {
    const key = this.keys.learnerNudged(learner);
    if (mark.ttl < 0) return this.redis.set(key, mark.raw, 'NX');
    const left = mark.ttl - (Date.now() - mark.takenAt);
    return left > 0 ? this.redis.set(key, mark.raw, 'PX', left, 'NX') : null;
  }
}
