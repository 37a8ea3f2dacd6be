/**
 * Learners' suggestions for the texts they receive (`CORREGIR …`), kept per text and language
 * without the number or the learner id: a reviewer sees what was suggested and how often. The
 * learner's own keys (what they suggested, how many today) are the only link back to them, and
 * BORRAR deletes those (Keyspace.erasedWithLearner).
 *
 * Redis Cluster: the learner's keys share their hash tag; the per-text hash and the index are
 * shared by every learner, so each is its own command (ioredis pipelines them in one write).
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

/** Enough to point at every text of a lesson that reads wrong; not enough to flood a reviewer. */
export const SUGGESTIONS_PER_DAY = 10;
const DAY_COUNT_TTL_SECONDS = 2 * 24 * 60 * 60;

export type SuggestionOutcome = 'recorded' | 'repeated' | 'capped';

export interface TextSuggestion {
  text: string;
  count: number;
}

export class SuggestionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /** Records one suggestion; a learner's repeat of the same words is not counted again. */
  async record(
    learner: string,
    s: { lang: string; textKey: string; text: string; day: string },
  ): Promise<SuggestionOutcome> {
    const days = this.keys.learnerSuggestionDays(learner);
    const [[, sent]] = (await this.redis
      .multi()
      .hincrby(days, s.day, 1)
      .expire(days, DAY_COUNT_TTL_SECONDS)
      .exec()) as [[null, number], unknown];
    if (sent > SUGGESTIONS_PER_DAY) return 'capped';
    const added = await this.redis.sadd(
      this.keys.learnerSuggestions(learner),
      `${s.lang}|${s.textKey}|${s.text}`,
    );
    if (!added) return 'repeated';
    await Promise.all([
      this.redis.hincrby(this.keys.textSuggestions(s.lang, s.textKey), s.text, 1),
      this.redis.zincrby(this.keys.suggestedTexts(), 1, `${s.lang}|${s.textKey}`),
    ]);
    return 'recorded';
  }

  /** Every suggestion for one language, by text key, most suggested first. */
  async forLanguage(lang: string): Promise<Map<string, TextSuggestion[]>> {
    const members = await this.redis.zrevrange(this.keys.suggestedTexts(), 0, -1);
    const textKeys = members.filter((m) => m.startsWith(`${lang}|`)).map((m) => m.slice(lang.length + 1));
    const all = await Promise.all(
      textKeys.map((k) => this.redis.hgetall(this.keys.textSuggestions(lang, k))),
    );
    return new Map(
      textKeys.map((textKey, i) => [
        textKey,
        Object.entries(all[i] ?? {})
          .map(([text, count]) => ({ text, count: Number(count) }))
          .sort((a, b) => b.count - a.count || a.text.localeCompare(b.text)),
      ]),
    );
  }
}
