// Everything a test's Redis holds under its prefix, read as text: every key name and every value,
// whatever its type (strings, hashes, sets, sorted sets, lists, streams; BullMQ's job hashes and
// event streams included), so a test can say what must not be anywhere.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface StoredKey {
  key: string;
  type: string;
  /** the key's contents as text: fields and values, members and scores, stream entries */
  texts: string[];
}

export async function dumpPrefix(redis: Redis, prefix: string): Promise<StoredKey[]> {
  const dumped: StoredKey[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) dumped.push({ key, ...(await readKey(redis, key)) });
  } while (cursor !== '0');
  return dumped;
}

async function readKey(redis: Redis, key: string): Promise<{ type: string; texts: string[] }> {
  const type = await redis.type(key);
  switch (type) {
    case 'string':
      return { type, texts: [(await redis.get(key)) ?? ''] };
    case 'hash':
      return { type, texts: Object.entries(await redis.hgetall(key)).flat() };
    case 'set':
      return { type, texts: await redis.smembers(key) };
    case 'zset':
      return { type, texts: await redis.zrange(key, 0, -1, 'WITHSCORES') };
    case 'list':
      return { type, texts: await redis.lrange(key, 0, -1) };
    case 'stream': {
      const entries = await redis.xrange(key, '-', '+');
      return { type, texts: entries.flatMap(([id, fields]) => [id, ...fields]) };
    }
    default:
      // 'none': it expired between SCAN and TYPE.
      return { type, texts: [] };
  }
}

/** A needle and what it is, for a readable failure. */
export interface Trace {
  what: string;
  /** matches the needle wherever it appears in a text */
  pattern: RegExp;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Digits not inside a longer run of digits (a timestamp may hold any eight digits by chance). */
const digits = (text: string) => new RegExp(`(?<![0-9])${escape(text)}(?![0-9])`);

/**
 * Every form in which a Bolivian number, or an id made from it, could be written: E.164, without
 * the +, as Twilio writes a WhatsApp address, the 8 national digits; the learner id as the code
 * computes it (`learnerId`: the app's PersonIds), and the old unsalted SHA-256 id (base64url,
 * 22 characters) and its longer forms.
 */
export function tracesOf(phone: string, learnerId: (phone: string) => string): Trace[] {
  const national = phone.replace(/^\+591/, '');
  const sha = createHash('sha256').update(phone).digest();
  return [
    { what: 'the number in E.164', pattern: new RegExp(escape(phone)) },
    { what: 'the number without +', pattern: digits(phone.slice(1)) },
    { what: 'the WhatsApp address', pattern: new RegExp(escape(`whatsapp:${phone}`)) },
    { what: 'the 8 national digits', pattern: digits(national) },
    { what: 'the learner id', pattern: new RegExp(escape(learnerId(phone))) },
    { what: 'the unsalted SHA-256 id', pattern: new RegExp(escape(sha.toString('base64url').slice(0, 22))) },
    { what: 'the SHA-256 in hex', pattern: new RegExp(sha.toString('hex')) },
  ];
}

/** Each place a trace was found, as `<key> (<type>): <what>`; [] when there is none. */
export function findTraces(dump: StoredKey[], traces: Trace[], keptKeys: string[] = []): string[] {
  const found: string[] = [];
  for (const { key, type, texts } of dump) {
    if (keptKeys.includes(key)) continue;
    for (const trace of traces) {
      if (trace.pattern.test(key)) found.push(`${key} (${type}): ${trace.what} in the key name`);
      const hit = texts.find((text) => trace.pattern.test(text));
      if (hit !== undefined) found.push(`${key} (${type}): ${trace.what} in ${hit.slice(0, 160)}`);
    }
  }
  return found;
}
