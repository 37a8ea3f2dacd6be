/**
 * Completion codes earned: each record names its learner. The code itself stays as issued (a
 * coordinator checks it by the code), so codes earned before the migration still verify.
 */
import type { CompletionRecord } from '../../store/completion-store.js';
import { eachKey, type Migration } from './migration.js';
import { PART } from './redis-keys.js';

export async function rekeyCompletionRecords(m: Migration): Promise<void> {
  await eachKey(m, m.keys.completion(PART), async (key) => {
    const raw = await m.redis.get(key);
    const record = raw ? (JSON.parse(raw) as CompletionRecord) : null;
    const to = record ? m.map.rekey(record.learner) : null;
    if (!record || !to) return;
    await m.redis.set(key, JSON.stringify({ ...record, learner: to }), 'KEEPTTL');
    m.count('completion codes: learner rekeyed');
  });
}
