/**
 * Groups that learn together: the record, the join code index, the member set, and each learner's
 * current group. Members are learner ids (PersonIds.learnerId(phone)), never numbers.
 *
 * Redis Cluster: a group's record and member set share the hash tag `{g:<id>}`, so the join script
 * touches one slot; a learner's current group sits under the learner's own tag. The two are written
 * one after the other (member set first), which is safe because one learner's messages are handled
 * one at a time (the per-sender lock) and SET … GET hands back whichever group to leave.
 */
import { randomInt } from 'node:crypto';
import type { RedisClient } from '../store/redis-client.js';
import type { Language } from '../content/locale-schema.js';
import type { PersonIds } from '../privacy/person-ids.js';
import type { Keyspace } from '../store/keyspace.js';
import { randomJoinCode } from '../reading/join-code.js';
import { cleanName } from '../reading/names.js';
import { runScript, script } from './lua.js';

export interface Group {
  id: string;
  name: string;
  locale: Language;
  /** the coordinator's E.164 number, to tell them who joined */
  coordinator: string;
  /** the join code, as stored (normalizeJoinCode) */
  code: string;
  /** ms since the epoch */
  createdAt: number;
  /** the coordinator turned nudges off for the group's members (field `nudges` = `off`) */
  nudgesOff: boolean;
}

export type JoinStatus = 'joined' | 'already' | 'full' | 'missing';

export interface JoinResult {
  /** `missing`: no group has this id */
  status: JoinStatus;
  /** members after the attempt */
  count: number;
  /** the group the learner was in before and left by joining this one */
  left?: string;
}

export const MAX_GROUP_MEMBERS = 50;
const GROUP_ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const GROUP_ID_LENGTH = 10;
/** For route schemas: a group id as newGroupId makes them. */
export const GROUP_ID_PATTERN = `^[0-9a-z]{${GROUP_ID_LENGTH}}$`;

/** 36^10 ≈ 3.7e15 ids: collisions are not a practical concern, and create() refuses one anyway. */
export function newGroupId(): string {
  let id = '';
  for (let i = 0; i < GROUP_ID_LENGTH; i++) id += GROUP_ID_ALPHABET[randomInt(GROUP_ID_ALPHABET.length)];
  return id;
}

/**
 * KEYS[1] the group record, KEYS[2] its member set (same slot); ARGV[1] learner id, ARGV[2] cap.
 * Check and add in one step, so fifty people joining at once never make fifty-one.
 */
const JOIN = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return {'missing', 0} end
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return {'already', redis.call('SCARD', KEYS[2])} end
local count = redis.call('SCARD', KEYS[2])
if count >= tonumber(ARGV[2]) then return {'full', count} end
redis.call('SADD', KEYS[2], ARGV[1])
return {'joined', count + 1}
`);

/** KEYS[1] a learner's current group; deletes it only if it still names ARGV[1]. */
const DELETE_IF = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export interface GroupStoreOptions {
  maxMembers?: number;
  clock?: () => number;
  /** injectable for deterministic tests */
  newId?: () => string;
  newCode?: () => string;
  /** join codes tried before create() gives up */
  codeAttempts?: number;
}

export class GroupStore {
  readonly maxMembers: number;
  private readonly clock: () => number;
  private readonly newId: () => string;
  private readonly newCode: () => string;
  private readonly codeAttempts: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly ids: PersonIds,
    options: GroupStoreOptions = {},
  ) {
    this.maxMembers = options.maxMembers ?? MAX_GROUP_MEMBERS;
    this.clock = options.clock ?? Date.now;
    this.newId = options.newId ?? newGroupId;
    this.newCode = options.newCode ?? randomJoinCode;
    this.codeAttempts = options.codeAttempts ?? 10;
  }

  /**
   * A new group with a join code no other group holds. The caller checks the coordinator; the
   * name is cleaned here too (reading/names.ts), whichever door it came through.
   */
  async create(input: { name: string; locale: Language; coordinator: string }): Promise<Group> {
    const name = cleanName(input.name);
    if (!name) throw new Error('a group needs a name');
    const id = this.newId();
    if ((await this.redis.exists(this.keys.group(id))) === 1) throw new Error(`group id ${id} is taken`);
    const code = await this.claimCode(id);
    const group: Group = { id, code, createdAt: this.clock(), nudgesOff: false, ...input, name };
    await this.redis.hset(this.keys.group(id), {
      name: group.name,
      locale: group.locale,
      coordinator: group.coordinator,
      code: group.code,
      createdAt: String(group.createdAt),
    });
    await this.redis.sadd(this.keys.coordinatorGroups(this.ids.learnerId(group.coordinator)), id);
    return group;
  }

  private async claimCode(groupId: string): Promise<string> {
    for (let attempt = 0; attempt < this.codeAttempts; attempt++) {
      const code = this.newCode();
      if ((await this.redis.set(this.keys.joinCode(code), groupId, 'NX')) === 'OK') return code;
    }
    throw new Error(`no free join code after ${this.codeAttempts} attempts`);
  }

  async get(groupId: string): Promise<Group | null> {
    const raw = await this.redis.hgetall(this.keys.group(groupId));
    return toGroup(groupId, raw);
  }

  /** `code` as stored: pass what the learner typed through normalizeJoinCode first. */
  async byCode(code: string): Promise<Group | null> {
    const id = await this.redis.get(this.keys.joinCode(code));
    return id ? this.get(id) : null;
  }

  /** The groups a coordinator created, oldest first. */
  async listByCoordinator(phone: string): Promise<Group[]> {
    const ids = await this.redis.smembers(this.keys.coordinatorGroups(this.ids.learnerId(phone)));
    const groups = await Promise.all(ids.map((id) => this.get(id)));
    return groups.filter((g): g is Group => g !== null).sort((a, b) => a.createdAt - b.createdAt);
  }

  /**
   * Puts a learner in a group, up to the cap; a learner in another group leaves it (one group at a
   * time). A full or missing group changes nothing, not even the learner's current group.
   */
  async join(groupId: string, learner: string): Promise<JoinResult> {
    const [status, count] = (await runScript(
      this.redis,
      JOIN,
      [this.keys.group(groupId), this.keys.members(groupId)],
      [learner, this.maxMembers],
    )) as [JoinStatus, number];
    if (status !== 'joined' && status !== 'already') return { status, count };
    const previous = await this.redis.set(this.keys.learnerGroup(learner), groupId, 'GET');
    if (previous && previous !== groupId) {
      await this.redis.srem(this.keys.members(previous), learner);
      return { status, count, left: previous };
    }
    return { status, count };
  }

  /** Takes a learner out of their group; answers the group left (null if none, or it is gone). */
  async leave(learner: string): Promise<Group | null> {
    const groupId = await this.redis.getdel(this.keys.learnerGroup(learner));
    if (!groupId) return null;
    await this.redis.srem(this.keys.members(groupId), learner);
    return this.get(groupId);
  }

  /** Turns nudges on or off for the group's members; false when there is no such group. */
  async setNudges(groupId: string, on: boolean): Promise<boolean> {
    if (!(await this.get(groupId))) return false;
    await this.redis.hset(this.keys.group(groupId), 'nudges', on ? 'on' : 'off');
    return true;
  }

  /** The learner's current group, or null. */
  async groupOf(learner: string): Promise<Group | null> {
    const groupId = await this.redis.get(this.keys.learnerGroup(learner));
    return groupId ? this.get(groupId) : null;
  }

  async count(groupId: string): Promise<number> {
    return this.redis.scard(this.keys.members(groupId));
  }

  async isMember(groupId: string, learner: string): Promise<boolean> {
    return (await this.redis.sismember(this.keys.members(groupId), learner)) === 1;
  }

  /**
   * The members, a page at a time (SSCAN), so a caller that fans out to them never holds more than
   * a page. SSCAN may return an id twice while the set is being rehashed; this iterator drops
   * repeats, which costs a set of the ids seen (at most maxMembers).
   */
  async *members(groupId: string, pageSize = 100): AsyncGenerator<string[]> {
    const seen = new Set<string>();
    let cursor = '0';
    do {
      const [next, ids] = await this.redis.sscan(this.keys.members(groupId), cursor, 'COUNT', pageSize);
      cursor = next;
      const fresh = ids.filter((id) => !seen.has(id));
      for (const id of fresh) seen.add(id);
      if (fresh.length > 0) yield fresh;
    } while (cursor !== '0');
  }

  /** A coordinator or an administrator removes someone; their current group is cleared if it is this one. */
  async removeMember(groupId: string, learner: string): Promise<boolean> {
    const removed = await this.redis.srem(this.keys.members(groupId), learner);
    await runScript(this.redis, DELETE_IF, [this.keys.learnerGroup(learner)], [groupId]);
    return removed === 1;
  }

  /** BORRAR: the learner leaves their group and no key of theirs remains here. */
  async forgetLearner(learner: string): Promise<void> {
    await this.leave(learner);
  }

  /** Keys of a learner kept by this store, to add to the learner's BORRAR list. */
  learnerKeys(learner: string): string[] {
    return [this.keys.learnerGroup(learner)];
  }
}

function toGroup(id: string, raw: Record<string, string>): Group | null {
  if (!raw.name || !raw.code || !raw.coordinator || !raw.locale) return null;
  return {
    id,
    name: raw.name,
    locale: raw.locale as Language,
    coordinator: raw.coordinator,
    code: raw.code,
    createdAt: Number(raw.createdAt ?? 0),
    nudgesOff: raw.nudges === 'off',
  };
}
