/**
 * The chats of "try the bot": each console user talks to the real conversation engine as a test
 * number, by SMS or WhatsApp. The channel, the suffix and the transcript live in Redis for a
 * week, per console user.
 *
 * The numbers are each user's own, so one user's "start again" (which erases the test number's
 * data, as BORRAR does) never touches another's test learner: a user's numbers are +5910, then
 * their block (7 digits, claimed in order the first time and never given to anyone else), then a
 * suffix of up to four digits they choose. No real number starts with 0 after +591, and the
 * longest is 15 digits, as E.164 allows. Block 0 is never claimed: it held the numbers every user
 * shared before.
 *
 * Test numbers are taken out of the learner index after every turn, so a broadcast to "all" or
 * by language never texts them; one that joins a group is a member like any other. Their turns are
 * rehearsals (InboundMessage.rehearsal): no nudge is scheduled for them (the worker would text a
 * number nobody has), they count in no funnel, and their CORREGIR reaches no reviewer. "Start
 * again" sends BORRAR, which takes whatever an older version left.
 */
import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../../store/redis-client.js';
import type { ConversationEngine } from '../../conversation/engine.js';
import { LANGUAGES, type Language } from '../../content/locale-schema.js';
import { runScript, script } from '../../groups/lua.js';
import type { PersonIds } from '../../privacy/person-ids.js';
import { parseAddress, type Channel } from '../../privacy/phone.js';
import type { Keyspace } from '../../store/keyspace.js';
import { LearnerIndex, type LearnerIndexKeys } from '../../store/learner-index.js';

/** Every test number starts so; then the owner's block and their suffix. */
const TEST_NUMBER_PREFIX = '+5910';
const BLOCK_DIGITS = 7;
const DEFAULT_SUFFIX = '1';
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const KEEP_LINES = 80;

export interface ChatLine {
  who: 'me' | 'bot';
  text: string;
  channel: Channel;
}

/**
 * KEYS[1] the owners' blocks; ARGV[1] the owner. Answers the owner's block, claiming the next
 * one the first time (blocks are never removed, so the count is the last one claimed).
 */
const CLAIM_BLOCK = script(`
local block = redis.call('HGET', KEYS[1], ARGV[1])
if block then return block end
block = redis.call('HLEN', KEYS[1]) + 1
redis.call('HSET', KEYS[1], ARGV[1], block)
return tostring(block)
`);

export interface ChatSettings {
  /** the owner's own numbers start so: the prefix and their block */
  base: string;
  /** up to four digits after `base` */
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
    private readonly redis: RedisClient,
    private readonly engine: Pick<ConversationEngine, 'handle'>,
    private readonly keys: Pick<Keyspace, 'consoleTry' | 'consoleTryBlocks'> & LearnerIndexKeys,
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
    const [cfg, block] = await Promise.all([this.redis.hgetall(this.key(owner, 'cfg')), this.block(owner)]);
    return {
      base: `${TEST_NUMBER_PREFIX}${block}`,
      suffix: validSuffix(cfg.suffix),
      channel: cfg.channel === 'whatsapp' ? 'whatsapp' : 'sms',
    };
  }

  /** The owner's block, in its 7 digits. */
  private async block(owner: string): Promise<string> {
    const block = Number(await runScript(this.redis, CLAIM_BLOCK, [this.keys.consoleTryBlocks()], [owner]));
    if (!Number.isInteger(block) || block < 1 || block >= 10 ** BLOCK_DIGITS)
      throw new Error('no block of test numbers left');
    return String(block).padStart(BLOCK_DIGITS, '0');
  }

  private async lines(owner: string): Promise<ChatLine[]> {
    const lines = await this.redis.lrange(this.key(owner, 'log'), 0, -1);
    return lines.map((l) => JSON.parse(l) as ChatLine);
  }

  private async turn(owner: string, text: string, log = true): Promise<void> {
    const { base, suffix, channel } = await this.settings(owner);
    const phone = `${base}${suffix}`;
    const address = parseAddress(channel === 'whatsapp' ? `whatsapp:${phone}` : phone);
    if (!address) throw new Error('bad test number');
    const result = await this.engine.handle({
      address,
      body: text,
      messageSid: `SM${randomBytes(16).toString('hex')}`,
      rehearsal: true,
    });
    await new LearnerIndex(this.redis, this.keys).remove(this.ids.learnerId(phone));
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
    await this.redis.hset(cfg, { suffix: validSuffix(suffix), channel });
    await this.redis.pexpire(cfg, KEEP_MS);
    await this.turn(owner, 'BORRAR', false);
    await this.redis.del(this.key(owner, 'log'));
    await this.turn(owner, 'hola');
    await this.turn(owner, String(LANGUAGES.indexOf(lang) + 1));
  }
}

/** Up to four digits; anything else is the default. */
function validSuffix(suffix: string | undefined): string {
  return suffix && /^\d{1,4}$/.test(suffix) ? suffix : DEFAULT_SUFFIX;
}
