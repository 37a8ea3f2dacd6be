/**
 * Paces sends per sender (an SMS long code, a WhatsApp number, a Messaging Service) at a steady
 * rate shared by every process through Redis: each send reserves the next free slot on the
 * sender's timeline and waits until its slot comes.
 *
 * Why a slot timeline (a GCRA with no burst) rather than rate-limiter-flexible's RateLimiterRedis
 * or BullMQ's `limiter`: both count in fixed windows, so N sends at the end of one second and N
 * more at the start of the next put 2N inside one second, and the window has to be polled
 * ("retry in msBeforeNext") instead of handing each send a time. Twilio meters senders as a
 * steady flow (a long code drains about 1 segment/s, a WhatsApp sender 80 messages/s), so even
 * spacing is what it expects; it also never sends two at once on a 1/s long code. Slots are
 * computed with Redis's own clock, so processes with skewed clocks still agree, and the one key
 * per sender works on Redis Cluster.
 */
import type { RedisClient } from '../store/redis-client.js';
import type { Keyspace } from '../store/keyspace.js';

// KEYS[1] the sender's timeline; ARGV[1] interval in microseconds. Returns { slot, now } in µs
// since the epoch (Redis clock). The key holds the first free slot and expires once idle.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, free)
redis.call('SET', KEYS[1], string.format('%.0f', slot + interval), 'PX', math.ceil((slot - now + interval) / 1000) + 1000)
return { string.format('%.0f', slot), string.format('%.0f', now) }
`;

export interface Slot {
  /** when this send may go, µs since the epoch on Redis's clock */
  slotUs: number;
  /** how long to wait for it from now, ms */
  waitMs: number;
}

export class SenderPacer {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /**
   * Reserves the sender's next slot at `perSecond` messages per second and resolves when it comes.
   * A slot reserved by a process that then dies is simply lost: the rate errs on the slow side.
   */
  async waitTurn(sender: string, perSecond: number): Promise<Slot> {
    const slot = await this.reserve(sender, perSecond);
    if (slot.waitMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.ceil(slot.waitMs)));
    return slot;
  }

  /** Reserves the next slot without waiting for it. */
  async reserve(sender: string, perSecond: number): Promise<Slot> {
    const intervalUs = Math.round(1_000_000 / perSecond);
    const [slot, now] = (await this.redis.eval(RESERVE, 1, this.key(sender), intervalUs)) as [string, string];
    return { slotUs: Number(slot), waitMs: (Number(slot) - Number(now)) / 1000 };
  }

  key(sender: string): string {
    return this.keys.pace(sender);
  }
}
