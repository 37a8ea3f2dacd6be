/**
 * Redis key names of coordinators and groups, all under the configured prefix. Keys that a script
 * uses together share a hash tag, so each script stays in one slot on a Redis Cluster:
 * - a group's keys carry `{g:<id>}` (its record and its member set);
 * - a learner's current group carries the learner's own tag `{<learnerId>}`, like the session;
 * - the coordinators' two hashes carry `{coordinators}`.
 * Numbers never appear in key names: a coordinator's group list is keyed by learnerId(phone).
 */
import { Keys } from '../store/keys.js';

export class GroupKeys {
  constructor(private readonly prefix = 'ayni:') {}

  /** hash: phone -> name */
  coordinatorNames(): string {
    return `${this.prefix}{coordinators}:names`;
  }

  /** hash: phone -> first registration time (ms) */
  coordinatorSince(): string {
    return `${this.prefix}{coordinators}:since`;
  }

  /** set of the group ids a coordinator created */
  coordinatorGroups(coordinatorId: string): string {
    return `${this.prefix}coordinator:${coordinatorId}:groups`;
  }

  /** hash: the group record */
  group(groupId: string): string {
    return `${this.prefix}{g:${groupId}}:info`;
  }

  /** set of learner ids */
  members(groupId: string): string {
    return `${this.prefix}{g:${groupId}}:members`;
  }

  /** string: join code -> group id, claimed with SET NX */
  code(code: string): string {
    return `${this.prefix}groupcode:${code}`;
  }

  /** string: the group a learner is in now (one at a time) */
  learnerGroup(learner: string): string {
    // Named once, in Keys: the turn script reads it together with the session.
    return new Keys(this.prefix).group(learner);
  }
}
