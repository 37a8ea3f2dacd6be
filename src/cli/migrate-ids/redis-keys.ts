/**
 * Finding and moving keys for the id migration. Key families are found with SCAN (never KEYS,
 * which blocks Redis for as long as it takes), by patterns made from the keyspace's own names
 * (`KeyPattern`), so the migration reads the same key shapes the app writes.
 *
 * Redis Cluster: a key moves to another slot when its learner tag changes, so a move is DUMP,
 * RESTORE and DEL (each on one key) rather than RENAME; every multi-key step stays on one key.
 */
import type { Redis } from 'ioredis';

/** Stands for a variable part when a key name is built to make a pattern of it. */
export const PART = '\u0001';

const globEscape = (text: string) => text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
const regexEscape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);

/** A key family: `name` is a keyspace name built with PART for each variable part. */
export class KeyPattern {
  /** for SCAN MATCH */
  readonly glob: string;
  private readonly regex: RegExp;

  constructor(name: string) {
    const pieces = name.split(PART);
    this.glob = pieces.map(globEscape).join('*');
    this.regex = new RegExp(`^${pieces.map(regexEscape).join('(.+?)')}$`);
  }

  /** The variable parts of `key`, or null when it is not of this family. */
  match(key: string): string[] | null {
    return this.regex.exec(key)?.slice(1) ?? null;
  }
}

/** Every key matching `glob`, a page at a time. SCAN may repeat a key: each step is idempotent. */
export async function* scanKeys(redis: Redis, glob: string): AsyncGenerator<string[]> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', glob, 'COUNT', 500);
    cursor = next;
    if (keys.length) yield keys;
  } while (cursor !== '0');
}

/** What became of a key asked to move. */
export type Moved = 'moved' | 'same' | 'merged' | 'kept' | 'gone';

/**
 * Moves `from` to `to`, with its TTL. When `to` exists already: the same value (a former run
 * stopped between copying and deleting) or `merge` joins them, else the key under the new name
 * wins ('kept'). `from` is deleted in every case, last, so a crash before that leaves it to the
 * next run.
 */
export async function moveKey(
  redis: Redis,
  from: string,
  to: string,
  merge?: (from: string, to: string) => Promise<void>,
): Promise<Moved> {
  const [value, pttl] = await Promise.all([redis.dumpBuffer(from), redis.pttl(from)]);
  if (!value || pttl === -2) return 'gone';
  const there = await redis.dumpBuffer(to);
  let moved: Moved;
  if (!there) {
    await redis.restore(to, Math.max(pttl, 0), value);
    moved = 'moved';
  } else if (there.equals(value)) {
    moved = 'same';
  } else if (merge) {
    await merge(from, to);
    moved = 'merged';
  } else {
    moved = 'kept';
  }
  await redis.del(from);
  return moved;
}
