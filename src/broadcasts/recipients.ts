/**
 * Who a broadcast reaches, a page at a time. The candidates come from Redis sets (the learner
 * index's buckets, or each target group's member set) read one after the other with SSCAN, whose
 * cursor is a plain string: which set and that cursor are saved between pages, so a fan-out that
 * dies continues where it was instead of starting over (LearnerIndex.pages and
 * GroupStore.members page the same sets, but keep their cursor to themselves). SSCAN may return
 * an id twice; the sender's dedupe sends it once.
 *
 * The filter targets (locale, notFinished, inactiveDays) page the learner index and read each
 * learner's session; nothing holds more than one page.
 */
import type { RedisClient } from '../store/redis-client.js';
import type { Keyspace } from '../store/keyspace.js';
import { LearnerIndex } from '../store/learner-index.js';
import type { SessionRecord } from '../store/session-store.js';
import type { Target } from './broadcast.js';

const DAY = 24 * 60 * 60 * 1000;

/**
 * Which set (`set`: index into the target's sets) and where in it (`scan`: SSCAN cursor).
 * `sets`: how many sets the target had when the cursor was saved. A cursor saved when the
 * learner index was one set has none: it no longer says where the fan-out was, so it starts
 * over (the sender's dedupe keeps anyone reached from getting it twice).
 */
export interface PageCursor {
  set: number;
  scan: string;
  sets?: number;
}

export interface RecipientPage {
  /** learner ids */
  ids: string[];
  /** the group these ids came from, for a group target */
  groupId: string | null;
  /** where the next page starts; null when this was the last */
  next: PageCursor | null;
}

export const FIRST_PAGE: PageCursor = { set: 0, scan: '0' };

export class RecipientPager {
  private readonly index: LearnerIndex;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly pageSize = 500,
  ) {
    this.index = new LearnerIndex(redis, keys);
  }

  /** One page from `cursor` (possibly empty: SSCAN's COUNT is a hint). */
  async page(target: Target, from: PageCursor): Promise<RecipientPage> {
    const groups = 'groups' in target ? target.groups : null;
    const sets = groups ? groups.map((id) => this.keys.members(id)) : this.index.sets();
    const stale = !groups && from.sets !== sets.length && (from.set > 0 || from.scan !== '0');
    const cursor = stale ? FIRST_PAGE : from;
    const key = sets[cursor.set];
    if (key === undefined) return { ids: [], groupId: null, next: null };
    const [scan, ids] = await this.redis.sscan(key, cursor.scan, 'COUNT', this.pageSize);
    let next: PageCursor | null = { set: cursor.set, scan, sets: sets.length };
    if (scan === '0')
      next = cursor.set + 1 < sets.length ? { set: cursor.set + 1, scan: '0', sets: sets.length } : null;
    return { ids, groupId: groups?.[cursor.set] ?? null, next };
  }

  /** Every page from the first, for counting. */
  async *pages(target: Target): AsyncGenerator<RecipientPage> {
    let cursor: PageCursor | null = FIRST_PAGE;
    while (cursor) {
      const page: RecipientPage = await this.page(target, cursor);
      if (page.ids.length) yield page;
      cursor = page.next;
    }
  }

  /**
   * How many candidates without reading sessions, where the target allows: every learner, or
   * the members of the groups (a learner is in one group at a time). Null for filter targets.
   */
  async quickCount(target: Target): Promise<number | null> {
    if ('all' in target) return this.index.count();
    if ('groups' in target) {
      const counts = await Promise.all(target.groups.map((id) => this.redis.scard(this.keys.members(id))));
      return counts.reduce((a, b) => a + b, 0);
    }
    return null;
  }
}

/** Whether the target picks this learner; opted-out learners match (they are counted, then skipped). */
export function matches(target: Target, session: SessionRecord, now: number): boolean {
  if ('groups' in target || 'all' in target) return true;
  const context = session.snapshot.context;
  if ('locale' in target) return (context.lang ?? 'es') === target.locale;
  if ('notFinished' in target) return !context.done?.[target.notFinished];
  return now - session.lastInboundAt >= target.inactiveDays * DAY;
}

/** Whether a candidate without a session counts as a deleted learner (skipped) or not at all. */
export function countsMissing(target: Target): boolean {
  return 'groups' in target || 'all' in target;
}
