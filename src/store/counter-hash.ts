/**
 * Counting into a hash of counters shared by many learners (the funnel's, the nudges'), one
 * command per hash: a script adds 1 to each field given (a field given twice counts twice) and
 * then sets the hash's time to live, as an HINCRBY per field and a PEXPIRE would, so the hash
 * lives its whole time after its last count. One key per call: each counter hash sits in its own
 * Redis Cluster slot.
 */
import { defineScript, type RedisClient } from './redis-client.js';

// KEYS[1] the hash; ARGV[1] its time to live (ms), ARGV[2..] the fields to count.
const COUNT_FIELDS = `
for i = 2, #ARGV do redis.call('hincrby', KEYS[1], ARGV[i], 1) end
redis.call('pexpire', KEYS[1], ARGV[1])
return 1`;

/** Adds 1 to each of `fields` of the hash `key` and keeps it `ttlMs` from now. */
export type CountFields = (key: string, ttlMs: number, fields: string[]) => Promise<unknown>;

export function fieldCounter(redis: RedisClient): CountFields {
  const script = defineScript(redis, 'ayniCountFields', 1, COUNT_FIELDS);
  return (key, ttlMs, fields) => script(key, ttlMs, ...fields);
}
