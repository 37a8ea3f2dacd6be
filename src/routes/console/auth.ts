/**
 * Who is using the console, kept in Redis so any number of app processes share it:
 * - login codes: 6 digits for every number a code is asked for (texted only if it coordinates,
 *   sign-in.ts), valid 10 minutes, 5 tries, stored only as a keyed hash;
 * - sessions: a random id in a signed, httpOnly cookie; Redis keeps only its hash, with the viewer
 *   and the session's CSRF token, for 12 hours.
 * Numbers never appear in key names: a coordinator's keys use their keyed id (PersonIds.learnerId).
 */
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import type { RedisClient } from '../../store/redis-client.js';
import type { Language } from '../../content/locale-schema.js';
import type { Keyspace } from '../../store/keyspace.js';
import { runScript, script } from '../../groups/lua.js';
import type { PersonIds } from '../../privacy/person-ids.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the console session, set by the console's sign-in hook */
    consoleSession: ConsoleSession | null;
  }
}

export type Viewer =
  | { role: 'admin'; name: string }
  | { role: 'coordinator'; phone: string; name: string }
  /** a native speaker who sees only the Textos pages of their languages */
  | { role: 'reviewer'; phone: string; name: string; languages: Language[] };

export interface ConsoleSession {
  /** sha256 of the cookie's session id: names the session's keys */
  id: string;
  viewer: Viewer;
  /** sent back in every form (field _csrf) and in the x-csrf-token header of API writes */
  csrf: string;
  createdAt: number;
}

export const CODE_TTL_MS = 10 * 60 * 1000;
export const CODE_TRIES = 5;
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** 'wrong' with no tries left was the last try; 'gone': there was no code to compare. */
export type CodeCheck =
  { ok: true } | { ok: false; reason: 'wrong'; triesLeft: number } | { ok: false; reason: 'gone' };

/**
 * KEYS[1] the code's record; ARGV[1] the keyed hash of the code tried, ARGV[2] the tries a code
 * has. Answers {outcome, tries left}: 'ok' (and the code is gone), 'wrong', or 'gone' (no code,
 * or no tries left: nothing was compared). Comparing the keyed hashes with == is safe here: a
 * guesser cannot choose the hash of a guess, so the time the comparison takes tells them nothing.
 */
const CHECK_CODE = script(`
local hash = redis.call('HGET', KEYS[1], 'hash')
if not hash then return {'gone', 0} end
local max = tonumber(ARGV[2])
local tries = redis.call('HINCRBY', KEYS[1], 'tries', 1)
if tries > max then
  redis.call('DEL', KEYS[1])
  return {'gone', 0}
end
if hash == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return {'ok', 0}
end
if tries == max then redis.call('DEL', KEYS[1]) end
return {'wrong', max - tries}
`);

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Who owns what in the console's keys: 'admin', or the coordinator's keyed id. */
export function ownerOf(viewer: Viewer, ids: Pick<PersonIds, 'learnerId'>): string {
  return viewer.role === 'admin' ? 'admin' : ids.learnerId(viewer.phone);
}

export class ConsoleAuth {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Pick<Keyspace, 'consoleCode' | 'consoleSession'>,
    private readonly secret: string,
    private readonly ids: Pick<PersonIds, 'learnerId'>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The keyed id of a number: names its keys and its session. */
  idOf(phone: string): string {
    return this.ids.learnerId(phone);
  }

  private codeHash(phone: string, code: string): string {
    return createHmac('sha256', this.secret).update(`${phone}\0${code}`).digest('hex');
  }

  /** A new code for this phone, replacing any earlier one (and its tries). */
  async newCode(phone: string): Promise<string> {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const key = this.keys.consoleCode(this.idOf(phone));
    await this.redis
      .multi()
      .del(key)
      .hset(key, { hash: this.codeHash(phone, code), tries: '0' })
      .pexpire(key, CODE_TTL_MS)
      .exec();
    return code;
  }

  /**
   * Each check uses a try, right or wrong; the code is gone once right or after the fifth try.
   * Counting the try and comparing the code are one script, so tries sent all at once are
   * answered one after another and no more than five are ever compared.
   */
  async checkCode(phone: string, code: string): Promise<CodeCheck> {
    const key = this.keys.consoleCode(this.idOf(phone));
    const [outcome, triesLeft] = (await runScript(
      this.redis,
      CHECK_CODE,
      [key],
      [this.codeHash(phone, code), CODE_TRIES],
    )) as [string, number];
    if (outcome === 'ok') return { ok: true };
    if (outcome === 'wrong') return { ok: false, reason: 'wrong', triesLeft };
    return { ok: false, reason: 'gone' };
  }

  /** A new session; answers the cookie value (the id itself, which Redis never stores). */
  async startSession(viewer: Viewer): Promise<{ cookie: string; session: ConsoleSession }> {
    const cookie = randomBytes(32).toString('base64url');
    const session: ConsoleSession = {
      id: sha256(cookie),
      viewer,
      csrf: randomBytes(24).toString('base64url'),
      createdAt: this.clock(),
    };
    await this.redis.set(this.keys.consoleSession(session.id), JSON.stringify(session), 'PX', SESSION_TTL_MS);
    return { cookie, session };
  }

  async session(cookie: string): Promise<ConsoleSession | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(cookie)) return null;
    const raw = await this.redis.get(this.keys.consoleSession(sha256(cookie)));
    return raw ? (JSON.parse(raw) as ConsoleSession) : null;
  }

  async endSession(session: ConsoleSession): Promise<void> {
    await this.redis.del(this.keys.consoleSession(session.id));
  }

  /** An opaque, stable reference to a member of a group, for forms: never the learner id itself. */
  memberRef(groupId: string, learner: string): string {
    return createHmac('sha256', this.secret)
      .update(`member\0${groupId}\0${learner}`)
      .digest('base64url')
      .slice(0, 16);
  }
}
