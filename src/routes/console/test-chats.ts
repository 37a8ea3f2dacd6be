/**
 * The chats of "try the bot": each console user talks to the real conversation engine as a test
 * number (+59100000000 and a suffix of up to four digits), by SMS or WhatsApp. The number, the
 * channel and the transcript live in Redis for a week, per console user.
 *
 * Test numbers are taken out of the learner index after every turn, so a broadcast to "all" or
 * by language never texts them; one that joins a group is a member like any other.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConversationEngine } from '../../conversation/engine.js';
import { LANGUAGES, type Language } from '../../content/locale-schema.js';
import type { PersonIds } from '../../privacy/person-ids.js';
import { parseAddress, type Channel } from '../../privacy/phone.js';
import type { Keyspace } from '../../store/keyspace.js';

export const TEST_NUMBER_BASE = '+59100000000';
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const KEEP_LINES = 80;

export interface ChatLine {
  who: 'me' | 'bot';
  text: string;
  channel: Channel;
}

export interface ChatSettings {
  /** up to four digits after TEST_NUMBER_BASE */
  suffix: string;
  channel: Channel;
}

/** One console user's chat (`owner`: ownerOf their viewer). */
export interface TestChat {
  settings(): Promise<ChatSettings>;
  lines(): Promise<ChatLine[]>;
  /** One message from the test number through the engine, written to the transcript. */
  say(text: string): Promise<void>;
  /** Forgets the test number's data, then starts again with these settings, in `lang`. */
  restart(suffix: string, channel: Channel, lang: Language): Promise<void>;
}

export class TestChats {
  constructor(
    private readonly redis: Redis,
    private readonly engine: Pick<ConversationEngine, 'handle'>,
    private readonly keys: Pick<Keyspace, 'learners' | 'consoleTry'>,
    private readonly ids: Pick<PersonIds, 'learnerId'>,
  ) {}

  of(owner: string): TestChat {
    return {
      settings: () => this.settings(owner),
      lines: () => this.lines(owner),
      say: (text) => this.turn(owner, text),
      restart: (suffix, channel, lang) => this.restart(owner, suffix, channel, lang),
    };
  }

  private key(owner: string, what: 'cfg' | 'log'): string {
    return this.keys.consoleTry(owner, what);
  }

  private async settings(owner: string): Promise<ChatSettings> {
    const cfg = await this.redis.hgetall(this.key(owner, 'cfg'));
    return {
      suffix: /^\d{1,4}$/.test(cfg.suffix ?? '') ? (cfg.suffix as string) : defaultSuffix(owner),
      channel: cfg.channel === 'whatsapp' ? 'whatsapp' : 'sms',
    };
  }

  private async lines(owner: string): Promise<ChatLine[]> {
    const lines = await this.redis.lrange(this.key(owner, 'log'), 0, -1);
    return lines.map((l) => JSON.parse(l) as ChatLine);
  }

  private async turn(owner: string, text: string, log = true): Promise<void> {
    const { suffix, channel } = await this.settings(owner);
    const phone = `${TEST_NUMBER_BASE}${suffix}`;
    const address = parseAddress(channel === 'whatsapp' ? `whatsapp:${phone}` : phone);
    if (!address) throw new Error('bad test number');
    const result = await this.engine.handle({
      address,
      body: text,
      messageSid: `SM${randomBytes(16).toString('hex')}`,
    });
    await this.redis.srem(this.keys.learners(), this.ids.learnerId(phone));
    if (!log) return;
    const lines: ChatLine[] = [
      { who: 'me', text, channel },
      ...result.replies.map((r) => ({ who: 'bot' as const, text: r, channel })),
    ];
    const key = this.key(owner, 'log');
    await this.redis
      .multi()
      .rpush(key, ...lines.map((l) => JSON.stringify(l)))
      .ltrim(key, -KEEP_LINES, -1)
      .pexpire(key, KEEP_MS)
      .exec();
  }

  private async restart(owner: string, suffix: string, channel: Channel, lang: Language): Promise<void> {
    const cfg = this.key(owner, 'cfg');
    await this.redis.hset(cfg, { suffix: /^\d{1,4}$/.test(suffix) ? suffix : defaultSuffix(owner), channel });
    await this.redis.pexpire(cfg, KEEP_MS);
    await this.turn(owner, 'BORRAR', false);
    await this.redis.del(this.key(owner, 'log'));
    await this.turn(owner, 'hola');
    await this.turn(owner, String(LANGUAGES.indexOf(lang) + 1));
  }
}

/** Each console user's own test number unless they pick one. */
function defaultSuffix(owner: string): string {
  return String(parseInt(createHash('sha256').update(owner).digest('hex').slice(0, 8), 16) % 10_000).padStart(
    4,
    '0',
  );
}
