/**
 * Which id becomes which. Before ID_SECRET, a person's id was the unkeyed SHA-256 of their number
 * (legacyLearnerId); now it is PersonIds.learnerId. The numbers Ayni keeps tell old from new:
 * every session holds its learner's address, and the coordinators' hash holds their numbers. The
 * map is rebuilt from those at every run, whatever a former run had already moved, which is what
 * makes the migration resumable.
 *
 * An old-looking id that no kept number explains (a learner who erased their data, whose id was
 * left in a quiz result or a delivery log) cannot be rekeyed; it becomes a tombstone: `.` and a
 * keyed hash of it, which no number leads to and no later run touches again (a `.` is allowed
 * wherever an id stands, dedupe keys included, and is never part of an id).
 */
import { createHash, createHmac } from 'node:crypto';
import { ID_LENGTH, type PersonIds } from '../../privacy/person-ids.js';

/** The first character of a tombstone. */
export const TOMBSTONE = '.';

/** What ids look like, old and new: 22 base64url characters. */
export const ID_SHAPE = /^[A-Za-z0-9_-]{22}$/;

/** A person's id before ID_SECRET: the unkeyed SHA-256 of their E.164 number. */
export function legacyLearnerId(phone: string): string {
  return createHash('sha256').update(phone).digest('base64url').slice(0, ID_LENGTH);
}

export class IdMap {
  private readonly oldToNew = new Map<string, string>();
  private readonly current = new Set<string>();
  private readonly tombstoneKey: Buffer;

  constructor(
    private readonly ids: PersonIds,
    secret: string,
  ) {
    this.tombstoneKey = createHmac('sha256', secret).update('ayni/erased-id').digest();
  }

  /** Learns a number's two ids. */
  addPhone(phone: string): void {
    const now = this.ids.learnerId(phone);
    this.oldToNew.set(legacyLearnerId(phone), now);
    this.current.add(now);
  }

  /** Whether `id` is one this map knows, old or new. */
  knows(id: string): boolean {
    return this.oldToNew.has(id) || this.current.has(id);
  }

  /** What `id` becomes, or null when it stays: already current, a tombstone, or not an id at all. */
  rekey(id: string): string | null {
    const now = this.oldToNew.get(id);
    if (now !== undefined) return now === id ? null : now;
    if (this.current.has(id) || !ID_SHAPE.test(id)) return null;
    return this.tombstone(id);
  }

  /** The ids of people the map knows (current ones). */
  get size(): number {
    return this.current.size;
  }

  private tombstone(id: string): string {
    return `${TOMBSTONE}${createHmac('sha256', this.tombstoneKey)
      .update(id)
      .digest('base64url')
      .slice(0, ID_LENGTH - 1)}`;
  }
}
