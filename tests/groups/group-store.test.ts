// Groups against a real Redis: codes, the 50-member cap under concurrency, one group per learner,
// leaving, paging through members, and BORRAR.
import { beforeEach, describe, expect, it } from 'vitest';
import { GroupStore, MAX_GROUP_MEMBERS, type Group } from '../../src/groups/group-store.js';
import { normalizeJoinCode } from '../../src/reading/join-code.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';
import { Keyspace } from '../../src/store/keyspace.js';

const { redis, prefix, clear } = useTestRedis();
const store = new GroupStore(redis, new Keyspace(prefix), testPersonIds);
const COORDINATOR = '+59171234567';

const learners = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => learnerId(`+5917${String(from + i).padStart(7, '0')}`));
const newGroup = (name = 'Vendedoras de El Alto') =>
  store.create({ name, locale: 'es', coordinator: COORDINATOR });

async function allMembers(groupId: string, pageSize?: number): Promise<string[][]> {
  const pages: string[][] = [];
  for await (const page of store.members(groupId, pageSize)) pages.push(page);
  return pages;
}

beforeEach(async () => {
  await clear();
});

describe('GroupStore: creating and finding groups', () => {
  it('creates a group with an id and a join code, found by id and by code', async () => {
    const group = await newGroup();
    expect(group).toEqual({
      id: expect.stringMatching(/^[0-9a-z]{10}$/),
      name: 'Vendedoras de El Alto',
      locale: 'es',
      coordinator: COORDINATOR,
      code: expect.any(String),
      createdAt: expect.any(Number),
      nudgesOff: false,
    });
    expect(normalizeJoinCode(group.code)).toBe(group.code);
    expect(await store.get(group.id)).toEqual(group);
    expect(await store.byCode(group.code)).toEqual(group);
    expect(await store.get('zzzzzzzzzz')).toBeNull();
    expect(await store.byCode('ZZZZZZ')).toBeNull();
  });

  it('gives every group its own code, retrying a code already taken', async () => {
    const codes = ['AAAAAA', 'AAAAAA', 'AAAAAA', 'BBBBBB'];
    const scripted = new GroupStore(redis, new Keyspace(prefix), testPersonIds, {
      newCode: () => codes.shift()!,
    });
    const first = await scripted.create({ name: 'uno', locale: 'ay', coordinator: COORDINATOR });
    const second = await scripted.create({ name: 'dos', locale: 'qu', coordinator: COORDINATOR });
    expect([first.code, second.code]).toEqual(['AAAAAA', 'BBBBBB']);
    expect((await scripted.byCode('AAAAAA'))?.id).toBe(first.id);
    expect((await scripted.byCode('BBBBBB'))?.id).toBe(second.id);
  });

  it('gives up after a bounded number of collisions', async () => {
    const stuck = new GroupStore(redis, new Keyspace(prefix), testPersonIds, {
      newCode: () => 'CCCCCC',
      codeAttempts: 3,
    });
    await stuck.create({ name: 'uno', locale: 'es', coordinator: COORDINATOR });
    await expect(stuck.create({ name: 'dos', locale: 'es', coordinator: COORDINATOR })).rejects.toThrow(
      /3 attempts/,
    );
  });

  it('lists a coordinator’s groups, oldest first, and only theirs', async () => {
    let now = 1_000;
    const clocked = new GroupStore(redis, new Keyspace(prefix), testPersonIds, { clock: () => now++ });
    const a = await clocked.create({ name: 'a', locale: 'es', coordinator: COORDINATOR });
    const b = await clocked.create({ name: 'b', locale: 'qu', coordinator: COORDINATOR });
    await clocked.create({ name: 'other', locale: 'es', coordinator: '+59179999999' });
    expect((await store.listByCoordinator(COORDINATOR)).map((g) => g.id)).toEqual([a.id, b.id]);
    expect(await store.listByCoordinator('+59170000001')).toEqual([]);
  });

  it('keeps a group’s record and members under one hash tag and writes no phone number into key names', async () => {
    const group = await newGroup();
    await store.join(group.id, learners(1)[0]!);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.filter((k) => k.includes(`{g:${group.id}}`)).sort()).toEqual([
      `${prefix}{g:${group.id}}:info`,
      `${prefix}{g:${group.id}}:members`,
    ]);
    for (const key of keys) expect(key).not.toContain(COORDINATOR.slice(1));
  });
});

describe('GroupStore: joining', () => {
  it('joins, then says already, with the count', async () => {
    const group = await newGroup();
    const [ana, beto] = learners(2);
    expect(await store.join(group.id, ana!)).toEqual({ status: 'joined', count: 1 });
    expect(await store.join(group.id, beto!)).toEqual({ status: 'joined', count: 2 });
    expect(await store.join(group.id, ana!)).toEqual({ status: 'already', count: 2 });
    expect(await store.count(group.id)).toBe(2);
    expect(await store.isMember(group.id, ana!)).toBe(true);
    expect((await store.groupOf(ana!))?.id).toBe(group.id);
  });

  it(`holds ${MAX_GROUP_MEMBERS} members, then says full and changes nothing`, async () => {
    const group = await newGroup();
    for (const [i, learner] of learners(MAX_GROUP_MEMBERS).entries()) {
      expect(await store.join(group.id, learner)).toEqual({ status: 'joined', count: i + 1 });
    }
    const late = learners(1, 999)[0]!;
    expect(await store.join(group.id, late)).toEqual({ status: 'full', count: MAX_GROUP_MEMBERS });
    expect(await store.groupOf(late)).toBeNull();
    // a member of a full group is still told "already", not "full"
    expect(await store.join(group.id, learners(1)[0]!)).toEqual({
      status: 'already',
      count: MAX_GROUP_MEMBERS,
    });
  });

  it('ends with exactly 50 when 50 people join a group of 45 at once', async () => {
    const group = await newGroup();
    for (const learner of learners(45)) await store.join(group.id, learner);
    const results = await Promise.all(learners(50, 100).map((learner) => store.join(group.id, learner)));
    expect(results.filter((r) => r.status === 'joined')).toHaveLength(5);
    expect(results.filter((r) => r.status === 'full')).toHaveLength(45);
    expect(
      results
        .filter((r) => r.status === 'joined')
        .map((r) => r.count)
        .sort(),
    ).toEqual([46, 47, 48, 49, 50]);
    expect(await store.count(group.id)).toBe(MAX_GROUP_MEMBERS);
  });

  it('answers missing for a group that does not exist, creating nothing', async () => {
    const learner = learners(1)[0]!;
    expect(await store.join('nosuchgrp0', learner)).toEqual({ status: 'missing', count: 0 });
    expect(await store.groupOf(learner)).toBeNull();
    expect(await redis.keys(`${prefix}*`)).toEqual([]);
  });

  it('keeps a learner in one group at a time: joining another leaves the first', async () => {
    const first = await newGroup('primero');
    const second = await newGroup('segundo');
    const learner = learners(1)[0]!;
    await store.join(first.id, learner);
    expect(await store.join(second.id, learner)).toEqual({ status: 'joined', count: 1, left: first.id });
    expect(await store.count(first.id)).toBe(0);
    expect(await store.isMember(first.id, learner)).toBe(false);
    expect((await store.groupOf(learner))?.id).toBe(second.id);
  });

  it('leaves the learner where they were when the other group is full', async () => {
    const mine = await newGroup('mío');
    const full = new GroupStore(redis, new Keyspace(prefix), testPersonIds, { maxMembers: 1 });
    const other = await newGroup('lleno');
    const [learner, someone] = learners(2);
    await store.join(mine.id, learner!);
    await full.join(other.id, someone!);
    expect(await full.join(other.id, learner!)).toEqual({ status: 'full', count: 1 });
    expect((await store.groupOf(learner!))?.id).toBe(mine.id);
    expect(await store.isMember(mine.id, learner!)).toBe(true);
  });
});

describe('GroupStore: leaving and removing', () => {
  it('leave answers the group left, then null', async () => {
    const group = await newGroup();
    const learner = learners(1)[0]!;
    await store.join(group.id, learner);
    expect(await store.leave(learner)).toEqual(group);
    expect(await store.count(group.id)).toBe(0);
    expect(await store.groupOf(learner)).toBeNull();
    expect(await store.leave(learner)).toBeNull();
  });

  it('removeMember takes a member out and clears their current group only if it is this one', async () => {
    const group = await newGroup();
    const other = await newGroup('otro');
    const [ana, beto] = learners(2);
    await store.join(group.id, ana!);
    await store.join(other.id, beto!);
    expect(await store.removeMember(group.id, ana!)).toBe(true);
    expect(await store.groupOf(ana!)).toBeNull();
    expect(await store.removeMember(group.id, beto!)).toBe(false);
    expect((await store.groupOf(beto!))?.id).toBe(other.id);
  });

  it('forgetLearner (BORRAR) leaves no key of the learner and no trace in the group', async () => {
    const group = await newGroup();
    const learner = learners(1)[0]!;
    await store.join(group.id, learner);
    await store.forgetLearner(learner);
    expect(await store.isMember(group.id, learner)).toBe(false);
    for (const key of store.learnerKeys(learner)) expect(await redis.exists(key)).toBe(0);
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.some((k) => k.includes(learner))).toBe(false);
  });
});

describe('GroupStore: members', () => {
  it('pages through the members with SSCAN, each once', async () => {
    // a big set (no cap here) so SSCAN really returns several pages
    const big = new GroupStore(redis, new Keyspace(prefix), testPersonIds, { maxMembers: 1_000 });
    const group: Group = await big.create({ name: 'grande', locale: 'es', coordinator: COORDINATOR });
    const ids = learners(600);
    for (const id of ids) await big.join(group.id, id);
    const pages = await allMembers(group.id, 50);
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.flat();
    expect(all).toHaveLength(600);
    expect(new Set(all)).toEqual(new Set(ids));
  });

  it('yields nothing for an empty or unknown group', async () => {
    const group = await newGroup();
    expect(await allMembers(group.id)).toEqual([]);
    expect(await allMembers('nosuchgrp0')).toEqual([]);
  });
});
