// The learner index in buckets: every learner in the bucket of their id, paged bucket after
// bucket with a cursor a fan-out can save and resume from, and the old single set of a deployment
// from before the buckets moved into them when the app starts.
import { describe, expect, it } from 'vitest';
import { FIRST_PAGE, RecipientPager, type PageCursor } from '../../src/broadcasts/recipients.js';
import { Keyspace, LEARNER_INDEX_BUCKETS, learnerBucket } from '../../src/store/keyspace.js';
import { LearnerIndex } from '../../src/store/learner-index.js';
import { testApp } from '../http/helpers.js';
import { useTestRedis } from '../support/test-redis.js';

const t = useTestRedis();
const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-learner-${i}`);

/** Pages a target from `cursor` to the end, saving the cursor as JSON between pages as a fan-out does. */
async function pageAll(pager: RecipientPager, from: PageCursor, stopAfter = Infinity) {
  const seen: string[] = [];
  let cursor: PageCursor | null = from;
  let pages = 0;
  while (cursor && pages < stopAfter) {
    const page = await pager.page({ all: true }, cursor);
    seen.push(...page.ids);
    cursor = page.next ? (JSON.parse(JSON.stringify(page.next)) as PageCursor) : null;
    pages++;
  }
  return { seen, cursor };
}

describe('the learner index', () => {
  it('spreads learners over its buckets, each bucket a key with its own hash tag', async () => {
    const keys = new Keyspace(t.prefix + 'spread:');
    const index = new LearnerIndex(t.redis, keys);
    const all = ids(1_000, 'spread');
    await Promise.all(all.map((id) => index.add(id)));
    const sizes = await Promise.all(keys.learnerIndexBuckets().map((key) => t.redis.scard(key)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_000);
    // 1,000 ids over 64 buckets: about 16 each; none empty, none holding a big share.
    expect(Math.min(...sizes)).toBeGreaterThan(0);
    expect(Math.max(...sizes)).toBeLessThan(60);
    const tags = new Set(keys.learnerIndexBuckets().map((key) => /\{(li:\d+)\}/.exec(key)?.[1]));
    expect(tags.size).toBe(LEARNER_INDEX_BUCKETS);
    expect(await index.has(all[7]!)).toBe(true);
    expect(await t.redis.sismember(keys.learnerIndexBucket(learnerBucket(all[7]!)), all[7]!)).toBe(1);
    await index.remove(all[7]!);
    expect(await index.has(all[7]!)).toBe(false);
    expect(await index.count()).toBe(999);
  });

  it('a fan-out paging it reaches everyone, and one resumed from a saved cursor reaches the rest', async () => {
    const keys = new Keyspace(t.prefix + 'pages:');
    const index = new LearnerIndex(t.redis, keys);
    const all = ids(700, 'pages');
    await Promise.all(all.map((id) => index.add(id)));
    const pager = new RecipientPager(t.redis, keys, 20);
    const whole = await pageAll(pager, FIRST_PAGE);
    expect(new Set(whole.seen)).toEqual(new Set(all));
    // Stop after some pages (a worker dies), then resume from the saved cursor.
    const first = await pageAll(pager, FIRST_PAGE, 30);
    expect(first.cursor).not.toBeNull();
    expect(first.cursor!.set).toBeGreaterThan(0);
    const rest = await pageAll(pager, first.cursor!);
    expect(new Set([...first.seen, ...rest.seen])).toEqual(new Set(all));
    expect(await pager.quickCount({ all: true })).toBe(700);
  });

  it('a cursor saved when the index was one set starts the fan-out over rather than skip anyone', async () => {
    const keys = new Keyspace(t.prefix + 'stale:');
    const index = new LearnerIndex(t.redis, keys);
    const all = ids(300, 'stale');
    await Promise.all(all.map((id) => index.add(id)));
    const pager = new RecipientPager(t.redis, keys, 10);
    // The shape a fan-out saved before the buckets: no `sets`, a cursor into the old set.
    const { seen } = await pageAll(pager, { set: 0, scan: '96' });
    expect(new Set(seen)).toEqual(new Set(all));
  });
});

describe('a deployment from before the buckets', () => {
  it('is paged through the old set until the app starts, which moves it into the buckets', async () => {
    const prefix = t.prefix + 'legacy:';
    const keys = new Keyspace(prefix);
    const old = ids(2_500, 'legacy');
    await t.redis.sadd(keys.legacyLearners(), ...old);
    const pager = new RecipientPager(t.redis, keys, 500);
    // Before any new process started: a broadcast still reaches everyone, from the old set.
    expect(new Set((await pageAll(pager, FIRST_PAGE)).seen)).toEqual(new Set(old));

    const app = await testApp(t.url, prefix);
    await app.close();
    expect(await t.redis.exists(keys.legacyLearners())).toBe(0);
    const index = new LearnerIndex(t.redis, keys);
    expect(await index.count()).toBe(2_500);
    for (const id of old.slice(0, 50)) expect(await index.has(id)).toBe(true);
    expect(new Set((await pageAll(pager, FIRST_PAGE)).seen)).toEqual(new Set(old));

    // Run again (another process starting): nothing to move, nothing changes.
    expect(await index.moveLegacy()).toBe(0);
    expect(await index.count()).toBe(2_500);
  });
});
