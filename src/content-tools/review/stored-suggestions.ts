/**
 * The learners' suggestions for one language, read from Ayni's Redis (REDIS_URL, REDIS_PREFIX) for
 * the export. A reviewer's laptop often has no Redis: then the export goes on without them and
 * says so.
 */
import type { Language } from '../../content/locale-schema.js';
import { Keyspace } from '../../store/keyspace.js';
import { createRedis, waitUntilReady } from '../../store/redis-client.js';
import { SuggestionStore } from '../../store/suggestion-store.js';
import type { SuggestionsByText } from '../../i18n/review/review-rows.js';

export async function readStoredSuggestions(
  lang: Language,
  redisUrl: string,
  prefix: string,
): Promise<SuggestionsByText | null> {
  const redis = createRedis(redisUrl);
  try {
    if (!(await waitUntilReady(redis, 3_000))) return null;
    return await new SuggestionStore(redis, new Keyspace(prefix)).forLanguage(lang);
  } finally {
    redis.disconnect();
  }
}
