/**
 * Coordinators: trainers an administrator registered by phone number. Keyed by the E.164 number,
 * so the same person is recognised whether they write by SMS or by WhatsApp. Coordinators are
 * few (tens, hundreds), so two hashes hold them all: name, and the time of first registration.
 */
import type { RedisClient } from '../store/redis-client.js';
import { E164_PATTERN, parseAddress } from '../privacy/phone.js';
import { cleanName as cleanPersonName } from '../reading/names.js';
import type { Keyspace } from '../store/keyspace.js';

export interface Coordinator {
  /** E.164, e.g. +59171234567 */
  phone: string;
  name: string;
  /** first registration, ms since the epoch */
  createdAt: number;
}

// Where the routes have always imported it from.
export { E164_PATTERN } from '../privacy/phone.js';
const e164 = new RegExp(E164_PATTERN);

/** The E.164 number of `+591…` or `whatsapp:+591…`, or null. */
export function toE164(phoneOrAddress: string): string | null {
  return parseAddress(phoneOrAddress)?.phone ?? null;
}

export class CoordinatorStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Registers a coordinator, or renames one already registered (keeping the first createdAt). The
   * name is cleaned here too (reading/names.ts), whichever door it came through.
   */
  async register(phone: string, name: string): Promise<Coordinator> {
    if (!e164.test(phone)) throw new Error('a coordinator is registered by an E.164 number (+591…)');
    const cleanName = cleanPersonName(name);
    if (!cleanName) throw new Error('a coordinator needs a name');
    // One slot ({coordinators}), so MULTI is atomic on a Cluster too.
    const results = await this.redis
      .multi()
      .hset(this.keys.coordinatorNames(), phone, cleanName)
      .hsetnx(this.keys.coordinatorSince(), phone, String(this.clock()))
      .hget(this.keys.coordinatorSince(), phone)
      .exec();
    const since = results?.[2]?.[1];
    return { phone, name: cleanName, createdAt: Number(since) };
  }

  /** Accepts `+591…` or `whatsapp:+591…`. */
  async find(phoneOrAddress: string): Promise<Coordinator | null> {
    const phone = toE164(phoneOrAddress);
    if (!phone) return null;
    const [name, since] = await Promise.all([
      this.redis.hget(this.keys.coordinatorNames(), phone),
      this.redis.hget(this.keys.coordinatorSince(), phone),
    ]);
    return name === null ? null : { phone, name, createdAt: Number(since ?? 0) };
  }

  async isCoordinator(phoneOrAddress: string): Promise<boolean> {
    const phone = toE164(phoneOrAddress);
    return phone !== null && (await this.redis.hexists(this.keys.coordinatorNames(), phone)) === 1;
  }

  /** Every coordinator, oldest first. */
  async list(): Promise<Coordinator[]> {
    const [names, since] = await Promise.all([
      this.redis.hgetall(this.keys.coordinatorNames()),
      this.redis.hgetall(this.keys.coordinatorSince()),
    ]);
    return Object.entries(names)
      .map(([phone, name]) => ({ phone, name, createdAt: Number(since[phone] ?? 0) }))
      .sort((a, b) => a.createdAt - b.createdAt || a.phone.localeCompare(b.phone));
  }
}
