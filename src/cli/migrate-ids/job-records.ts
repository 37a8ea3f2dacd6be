/**
 * The outbound queues' job records (BullMQ hashes under the keyspace's BullMQ prefix). A job's
 * data is the message as it was enqueued, with its dedupe key: where that names a person, the
 * job must find the message's delivery log under its rekeyed name, or a waiting job would start
 * a second log under the old id. The number a job is sent to is in its data by design, until
 * BullMQ removes the finished job (a day; a week for failed ones).
 */
import { rekeyDedupeKey } from './delivery-records.js';
import { eachKey, type Migration } from './migration.js';
import { PART } from './redis-keys.js';

export async function rekeyJobRecords(m: Migration): Promise<void> {
  const { redis } = m;
  await eachKey(m, `${m.keys.bullPrefix()}:${PART}`, async (key) => {
    if ((await redis.type(key)) !== 'hash') return;
    const raw = await redis.hget(key, 'data');
    const data = raw?.startsWith('{') ? (JSON.parse(raw) as { dedupeKey?: unknown }) : null;
    if (typeof data?.dedupeKey !== 'string') return;
    const dedupeKey = rekeyDedupeKey(m, data.dedupeKey);
    if (dedupeKey === data.dedupeKey) return;
    await redis.hset(key, 'data', JSON.stringify({ ...data, dedupeKey }));
    m.count('queued and finished jobs: dedupe key rekeyed');
  });
}
