/**
 * The due nudges: per learner, the time their next nudge is due, in NUDGE_BUCKETS sorted sets
 * (Keyspace.nudgesDue), so that no per-learner timer lives in memory and a Redis Cluster spreads
 * the sets over its slots. The turn sets or clears a learner's time, as its own command beside
 * the save script (the set is not in the learner's slot); it clears only a learner whose saved
 * session waited for a nudge (src/conversation/nudge-commands.ts). A time can still be left for a
 * learner who waits for none (a clear that failed, a turn whose save lost its lock after its
 * commands went out, nudges off meanwhile): what guarantees that no wrong nudge goes is the
 * worker, which decides from the session as it is when the time comes and drops the time. The
 * nudge worker pages through what is due and moves each time on only if it is still the one it
 * read (a turn in between wins).
 */
import { defineScript, type RedisClient, type ScriptRunner } from './redis-client.js';
import { NUDGE_BUCKETS, type Keyspace } from './keyspace.js';

// KEYS[1] the bucket; ARGV: learner, the due time read, the next one ('' to leave the set).
// Due times a turn sets are always later than now, and the worker only reads times already
// past, so an unchanged time means no turn came in between.
const MOVE_IF_UNCHANGED = `
local at = redis.call('zscore', KEYS[1], ARGV[1])
if not at or tonumber(at) ~= tonumber(ARGV[2]) then return 0 end
if ARGV[3] == '' then redis.call('zrem', KEYS[1], ARGV[1]) else redis.call('zadd', KEYS[1], ARGV[3], ARGV[1]) end
return 1`;

export interface DueNudge {
  learner: string;
  due: number;
}

export class NudgeSchedule {
  private readonly moveScript: ScriptRunner;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {
    this.moveScript = defineScript(redis, 'ayniMoveNudge', 1, MOVE_IF_UNCHANGED);
  }

  readonly buckets = NUDGE_BUCKETS;

  /** The learner's next nudge is due at `due` (a turn: replaces any earlier time). */
  set(learner: string, due: number): Promise<unknown> {
    return this.redis.zadd(this.keys.nudgesDueOf(learner), due, learner);
  }

  /** The learner gets no nudge (a turn outside a lesson, STOP). */
  clear(learner: string): Promise<unknown> {
    return this.redis.zrem(this.keys.nudgesDueOf(learner), learner);
  }

  /** Up to `limit` learners of one bucket whose nudge is due by `now`, earliest first. */
  async due(bucket: number, now: number, limit: number): Promise<DueNudge[]> {
    const flat = await this.redis.zrangebyscore(
      this.keys.nudgesDue(bucket),
      0,
      now,
      'WITHSCORES',
      'LIMIT',
      0,
      limit,
    );
    const page: DueNudge[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) page.push({ learner: flat[i]!, due: Number(flat[i + 1]) });
    return page;
  }

  /** Moves the learner's due time from `read` to `next` (null: out of the set), unless a turn changed it. */
  async move(learner: string, read: number, next: number | null): Promise<boolean> {
    const moved = await this.moveScript(
      this.keys.nudgesDueOf(learner),
      learner,
      read,
      next === null ? '' : String(next),
    );
    return moved === 1;
  }

  /** How many learners wait for a nudge, over every bucket. */
  async waiting(): Promise<number> {
    const counts = await Promise.all(
      Array.from({ length: this.buckets }, (_, bucket) => this.redis.zcard(this.keys.nudgesDue(bucket))),
    );
    return counts.reduce((sum, n) => sum + n, 0);
  }
}
