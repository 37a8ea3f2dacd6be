// What "a valid session" means, for the fault tests: the stored JSON has the SessionRecord shape,
// belongs to the learner its key names, was saved under the current course, and its snapshot
// restores in the real learner machine.
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { LearnerMachine } from '../../src/flows/compile-machine.js';
import { ADDRESS_PATTERN, parseAddress } from '../../src/privacy/phone.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { REMEMBERED_MESSAGE_IDS, type SessionRecord } from '../../src/store/session-store.js';
import { realContent } from '../support/content.js';
import { learnerId } from '../support/person-ids.js';

const count = z.number().int().nonnegative();

const contextSchema = z.object({
  lang: z.enum(['es', 'ay', 'qu']).nullable(),
  tries: count,
  marks: z.record(z.string(), z.object({ s: z.string().min(1), i: count, r: count })),
  done: z.record(z.string(), z.tuple([count, count])),
  points: z.record(z.string(), z.number().finite()),
  feasibility: z.object({ areas: z.record(z.string(), z.number().finite()), on: z.string() }).nullable(),
  cert: z.object({ code: z.string().min(1), on: z.string() }).nullable(),
  nums: z.record(z.string(), z.number().finite()),
});

const recordSchema = z.object({
  flowVersion: z.string(),
  snapshot: z.object({ value: z.unknown(), context: contextSchema }),
  address: z.string().regex(new RegExp(ADDRESS_PATTERN)),
  lastInboundAt: z.number().int().positive(),
  optedOut: z.boolean(),
  turns: z.number().int().positive(),
  seen: z
    .array(z.string().regex(/^[A-Z]{2}[0-9a-fA-F]{32}$/))
    .min(1)
    .max(REMEMBERED_MESSAGE_IDS),
  lastReplies: z.array(z.string()),
});

/** The problems with one stored session (empty when it is valid). */
export function sessionProblems(
  key: string,
  raw: string,
  runtime = realContent(),
): { problems: string[]; record?: SessionRecord } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { problems: [`${key}: not JSON (${(error as Error).message})`] };
  }
  const parsed = recordSchema.safeParse(json);
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((i) => `${key}: ${i.path.join('.') || '(root)'}: ${i.message}`),
    };
  }
  const record = json as SessionRecord;
  const problems: string[] = [];
  if (record.flowVersion !== runtime.course.version) {
    problems.push(`${key}: saved under course ${record.flowVersion}, not ${runtime.course.version}`);
  }
  const address = parseAddress(record.address);
  const id = /\{([^}]+)\}:session$/.exec(key)?.[1];
  if (!address || learnerId(address.phone) !== id) problems.push(`${key}: address belongs to another key`);
  if (new Set(record.seen).size !== record.seen.length) problems.push(`${key}: a MessageSid is seen twice`);
  try {
    const machine: LearnerMachine = runtime.machine;
    const snapshot = machine.resolveState(record.snapshot as Parameters<LearnerMachine['resolveState']>[0]);
    if (snapshot.status !== 'active') problems.push(`${key}: restored snapshot is ${snapshot.status}`);
  } catch (error) {
    problems.push(`${key}: snapshot does not restore: ${(error as Error).message}`);
  }
  return { problems, record };
}

/** Every session key under `prefix`. */
export async function sessionKeys(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}{*}:session`, 'COUNT', 500);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found.sort();
}

/**
 * Checks every session under `prefix`, and that each is in the learners index (broadcasts page
 * through it, so a learner missing from it would silently never get one).
 */
export async function allSessionProblems(
  redis: Redis,
  prefix: string,
): Promise<{ keys: number; problems: string[] }> {
  const keys = await sessionKeys(redis, prefix);
  const problems: string[] = [];
  const index = new Keyspace(prefix).learnerIndexBuckets();
  const indexed = new Set((await Promise.all(index.map((bucket) => redis.smembers(bucket)))).flat());
  for (const key of keys) {
    const raw = await redis.get(key);
    if (raw === null) continue; // deleted since the scan (BORRAR)
    problems.push(...sessionProblems(key, raw).problems);
    const id = /\{([^}]+)\}:session$/.exec(key)?.[1] ?? '';
    if (!indexed.has(id)) problems.push(`${key}: not in the learners index`);
  }
  return { keys: keys.length, problems };
}
