// A learner's session written straight to Redis, as the webhook leaves it after their last
// message, for tests of what reaches learners without walking each one through a conversation.
import type { Redis } from 'ioredis';
import type { Language } from '../../src/content/locale-schema.js';
import { initialContext } from '../../src/flows/learner-context.js';
import { learnerId } from './person-ids.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { SessionStore, type SessionRecord } from '../../src/store/session-store.js';

export interface SessionFixture {
  /** E.164 */
  phone: string;
  /** channel of the learner's last message; default 'sms' */
  channel?: 'sms' | 'whatsapp';
  /** default: none chosen yet */
  lang?: Language | null;
  lastInboundAt?: number;
  optedOut?: boolean;
  done?: Record<string, [number, number]>;
  feasibility?: { areas: Record<string, number>; on: string } | null;
}

/** The session of a learner on the menu. */
function sessionRecord(fixture: SessionFixture): SessionRecord {
  const context = initialContext();
  return {
    flowVersion: 'test',
    snapshot: {
      value: 'menu',
      context: {
        ...context,
        lang: fixture.lang === undefined ? context.lang : fixture.lang,
        done: fixture.done ?? context.done,
        feasibility: fixture.feasibility ?? context.feasibility,
      },
    },
    address: fixture.channel === 'whatsapp' ? `whatsapp:${fixture.phone}` : fixture.phone,
    lastInboundAt: fixture.lastInboundAt ?? Date.now(),
    optedOut: fixture.optedOut ?? false,
    turns: 1,
    seen: [],
    lastReplies: [],
  };
}

/**
 * Saves the session under `prefix`; `indexed` also adds the learner to the index that
 * broadcasts page through, as a learner's first message does.
 */
export async function saveSession(
  redis: Redis,
  prefix: string,
  fixture: SessionFixture,
  options: { indexed: boolean },
): Promise<void> {
  const keys = new Keyspace(prefix);
  await new SessionStore(redis, keys).save(learnerId(fixture.phone), sessionRecord(fixture));
  if (options.indexed)
    await redis.sadd(keys.learnerIndex(learnerId(fixture.phone)), learnerId(fixture.phone));
}
