/**
 * Learners' suggestions for the texts they receive (`CORREGIR …`), kept per text and language
 * without the number or the learner id: a reviewer sees what was suggested and how often. The
 * learner's own keys (what they suggested, how many today) are the only link back to them. BORRAR
 * first takes the learner's words out of the per-text counts (forgetLearner: a suggestion may hold
 * their name, and a learner who erased and repeated would otherwise count twice), then deletes
 * those keys (Keyspace.erasedWithLearner). Long digit runs (phone numbers) are masked before
 * anything is stored.
 *
 * Redis Cluster: the learner's keys share their hash tag; the per-text hash and the index are
 * shared by every learner, so each is its own command (ioredis pipelines them in one write).
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

/** Enough to point at every text of a lesson that reads wrong; not enough to flood a reviewer. */
export const SUGGESTIONS_PER_DAY = 10;
const DAY_COUNT_TTL_SECONDS = 2 * 24 * 60 * 60;
/** Distinct suggestions kept per text: more than a reviewer reads, few enough that no one floods it. */
export const SUGGESTIONS_PER_TEXT = 50;

/**
 * 7 digits or more, with any spaces, dots, dashes, underscores, slashes or brackets between them:
 * a Bolivian number (8 digits) in any way people write it, in any script's digits (NFKC first
 * turns full-width digits into plain ones). Shorter runs (a price, a year, a lesson number) stay.
 */
const PHONE_LIKE = /\+?\(?\p{Nd}(?:[\s._/()-]*\p{Nd}){6,}\)?/gu;
export const MASKED_NUMBER = '[número]';

/** A suggestion's text as kept: digit runs long enough to be a phone number masked. */
export function maskNumbers(text: string): string {
  return text.normalize('NFKC').replace(PHONE_LIKE, MASKED_NUMBER);
}

/** One key: adds 1 to a suggestion, unless it is new and the text already has `cap` of them. */
const ADD_UNLESS_FULL = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[2]) then
  return 0
end
return redis.call('HINCRBY', KEYS[1], ARGV[1], 1)`;

/** One key: takes 1 from a hash field, and the field itself at 0; the hash's new length. */
const TAKE_ONE = `
if redis.call('HINCRBY', KEYS[1], ARGV[1], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) end
return redis.call('HLEN', KEYS[1])`;

export type SuggestionOutcome = 'recorded' | 'repeated' | 'capped' | 'full';

export interface TextSuggestion {
  text: string;
  count: number;
}

export class SuggestionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /**
   * Records one suggestion; a learner's repeat of the same words is not counted again, and a new
   * suggestion for a text that already has SUGGESTIONS_PER_TEXT is not kept ('full').
   */
  async record(
    learner: string,
    suggested: { lang: string; textKey: string; text: string; day: string },
  ): Promise<SuggestionOutcome> {
    const s = { ...suggested, text: maskNumbers(suggested.text) };
    const days = this.keys.learnerSuggestionDays(learner);
    const [[, sent]] = (await this.redis
      .multi()
      .hincrby(days, s.day, 1)
      .expire(days, DAY_COUNT_TTL_SECONDS)
      .exec()) as [[null, number], unknown];
    if (sent > SUGGESTIONS_PER_DAY) return 'capped';
    const mine = this.keys.learnerSuggestions(learner);
    const member = `${s.lang}|${s.textKey}|${s.text}`;
    if (!(await this.redis.sadd(mine, member))) return 'repeated';
    const counted = await this.redis.eval(
      ADD_UNLESS_FULL,
      1,
      this.keys.textSuggestions(s.lang, s.textKey),
      s.text,
      SUGGESTIONS_PER_TEXT,
    );
    if (!counted) {
      // Not kept, so not the learner's to take back on BORRAR either.
      await this.redis.srem(mine, member);
      return 'full';
    }
    await this.redis.zincrby(this.keys.suggestedTexts(), 1, `${s.lang}|${s.textKey}`);
    return 'recorded';
  }

  /**
   * BORRAR: takes each of the learner's suggestions out of its text's counts (a text left with
   * none leaves the index), so nothing they wrote outlives them. Their own keys are deleted with
   * the rest of theirs (Keyspace.erasedWithLearner). Each shared key is its own command (Cluster).
   */
  async forgetLearner(learner: string): Promise<void> {
    const mine = await this.redis.smembers(this.keys.learnerSuggestions(learner));
    await Promise.all(mine.map((member) => this.takeBack(member)));
  }

  private async takeBack(member: string): Promise<void> {
    // `<lang>|<textKey>|<text>`: language and text key hold no `|`; the text may.
    const [lang = '', textKey = ''] = member.split('|', 2);
    const text = member.slice(lang.length + textKey.length + 2);
    const left = await this.redis.eval(TAKE_ONE, 1, this.keys.textSuggestions(lang, textKey), text);
    const listed = `${lang}|${textKey}`;
    if (Number(left) === 0) await this.redis.zrem(this.keys.suggestedTexts(), listed);
    else await this.redis.zincrby(this.keys.suggestedTexts(), -1, listed);
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
