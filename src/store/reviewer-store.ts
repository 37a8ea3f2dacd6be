/**
 * Reviewers: native speakers an administrator registers (POST /api/reviewers) to review the
 * texts of their languages in the console. Like a coordinator's, the record is an
 * administrator's, keyed by phone so the console's login code can be texted to it.
 */
import type { RedisClient } from './redis-client.js';
import type { Language } from '../content/locale-schema.js';
import type { Keyspace } from './keyspace.js';

export interface Reviewer {
  phone: string;
  name: string;
  languages: Language[];
}

export class ReviewerStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /** Registers a reviewer, or renames them and sets their languages anew. */
  async register(reviewer: Reviewer): Promise<Reviewer> {
    const { phone, name, languages } = reviewer;
    await this.redis.hset(this.keys.reviewers(), phone, JSON.stringify({ name, languages }));
    return reviewer;
  }

  async find(phone: string): Promise<Reviewer | null> {
    const raw = await this.redis.hget(this.keys.reviewers(), phone);
    if (!raw) return null;
    const { name, languages } = JSON.parse(raw) as Omit<Reviewer, 'phone'>;
    return { phone, name, languages };
  }

  async isReviewer(phone: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.reviewers(), phone)) === 1;
  }
}
