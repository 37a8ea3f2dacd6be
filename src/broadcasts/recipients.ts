/**
 * Who a broadcast reaches, a page at a time. The candidates come from a Redis set (the learner
 * index, or each target group's member set) read with SSCAN, whose cursor is a plain string: it
 * is saved between pages, so a fan-out that dies continues where it was instead of starting over
 * (SessionStore.learnerPages and GroupStore.members page the same sets, but keep their cursor to
 * themselves). SSCAN may return an id twice; the sender's dedupe sends it once.
 *
 * The filter targets (locale, notFinished, inactiveDays) page the learner index and read each
 * learner's session; nothing holds more than one page.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../store/keyspace.js';
import type { SessionRecord } from '../store/session-store.js';
import type { Target } from './broadcast.js';

const DAY = 24 * 60 * 60 * 1000;

/** Which set (`set`: index into the target's sets) and where in it (`scan`: SSCAN cursor). */
export interface PageCursor {
  set: number;
  scan: string;
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
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keyspace,
    private readonly pageSize = 500,
  ) {}

  /** One page from `cursor` (possibly empty: SSCAN's COUNT is a hint). */
  async page(target: Target, cursor: PageCursor): Promise<RecipientPage> {
    const sets = 'groups' in target ? target.groups : [null];
    const groupId = sets[cursor.set] ?? null;
    if (cursor.set >= sets.length) return { ids: [], groupId: null, next: null };
    const key = groupId ? this.keys.members(groupId) : this.keys.learners();
    const [scan, ids] = await this.redis.sscan(key, cursor.scan, 'COUNT', this.pageSize);
    let next: PageCursor | null = { set: cursor.set, scan };
    if (scan === '0') next = cursor.set + 1 < sets.length ? { set: cursor.set + 1, scan: '0' } : null;
    return { ids, groupId, next };
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
    if ('all' in target) return this.redis.scard(this.keys.learners());
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
