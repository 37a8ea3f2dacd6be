/**
 * Redis key names. Every key of a learner carries the learner id as a hash tag `{…}` so that
 * all of them live in one slot on a Redis Cluster and can be used together in one script.
 */
export class Keys {
  constructor(private readonly prefix = 'ayni:') {}

  session(learner: string): string {
    return `${this.prefix}{${learner}}:session`;
  }

  lock(learner: string): string {
    return `${this.prefix}{${learner}}:lock`;
  }

  /** The set of every learner id: broadcasts to everyone page through it. */
  learners(): string {
    return `${this.prefix}learners`;
  }

  /** A completion code a coordinator can check; not tagged, it is looked up by code alone. */
  completion(code: string): string {
    return `${this.prefix}completion:${code}`;
  }

  /** The id of the learner's group (written by src/groups/group-store.ts). */
  group(learner: string): string {
    return `${this.prefix}{${learner}}:group`;
  }

  /** Every key of the learner, for BORRAR. */
  allOf(learner: string): string[] {
    return [this.session(learner), this.lock(learner)];
  }
}
