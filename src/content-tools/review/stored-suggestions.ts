/**
 * The learners' suggestions for one language, read from Ayni's Redis (wherever the app's settings put it: redisTargetOf) for
 * the export. A reviewer's laptop often has no Redis: then the export goes on without them and
 * says so.
 */
import type { Language } from '../../content/locale-schema.js';
import { Keyspace } from '../../store/keyspace.js';
import { createRedis, isCluster, waitUntilReady, type RedisTarget } from '../../store/redis-client.js';
import { SuggestionStore } from '../../store/suggestion-store.js';
import type { SuggestionsByText } from '../../i18n/review/review-rows.js';

export async function readStoredSuggestions(
  lang: Language,
  target: RedisTarget,
  prefix: string,
): Promise<SuggestionsByText | null> {
  const redis = createRedis(target);
  try {
    if (!(await waitUntilReady(redis, 3_000))) return null;
    return await new SuggestionStore(redis, new Keyspace(prefix, { cluster: isCluster(target) })).forLanguage(
      lang,
    );
  } finally {
    redis.disconnect();
  }
}
