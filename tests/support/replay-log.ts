// The replay log read back in tests: which MessageSids a learner's turns handled, in the order
// they ran. The session keeps only the newest id (REMEMBERED_MESSAGE_IDS); the log keeps all.
import type { Redis } from 'ioredis';
import { FINGERPRINT_BYTES } from '../../src/privacy/person-ids.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { learnerId, testPersonIds } from './person-ids.js';

/**
 * The log's records in order, each as the one of `sids` whose fingerprint it is, or as
 * `<hex fingerprint>` when it is none of them (a message the test did not name).
 */
export async function handledInOrder(
  redis: Redis,
  prefix: string,
  phone: string,
  sids: string[],
): Promise<string[]> {
  const log = (await redis.getBuffer(new Keyspace(prefix).replayLog(learnerId(phone)))) ?? Buffer.alloc(0);
  const bySid = new Map(sids.map((sid) => [testPersonIds.messageFingerprint(sid).toString('hex'), sid]));
  return Array.from({ length: log.length / FINGERPRINT_BYTES }, (_, i) => {
    const hex = log.subarray(i * FINGERPRINT_BYTES, (i + 1) * FINGERPRINT_BYTES).toString('hex');
    return bySid.get(hex) ?? `<${hex}>`;
  });
}
