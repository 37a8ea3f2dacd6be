/**
 * One-time links that sign an administrator in to the console, printed at start in local mode
 * (no Twilio settings, outside production), the way notebook servers print theirs. Redis keeps
 * only the sha256 of a link's token, and GETDEL takes it on first use, so a link works once even
 * with several app processes.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

/** How long a printed link stays good if nobody follows it. */
export const LOGIN_LINK_TTL_MS = 24 * 60 * 60 * 1000;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** 32 random bytes, base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export class LoginLinks {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Pick<Keyspace, 'consoleLoginLink'>,
  ) {}

  /** A new token for a link; only its hash is stored. */
  async create(): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.redis.set(this.keys.consoleLoginLink(sha256(token)), '1', 'PX', LOGIN_LINK_TTL_MS);
    return token;
  }

  /** True once for a token `create` gave, then false: the first use takes it. */
  async consume(token: string): Promise<boolean> {
    if (!TOKEN_SHAPE.test(token)) return false;
    return (await this.redis.getdel(this.keys.consoleLoginLink(sha256(token)))) !== null;
  }
}
