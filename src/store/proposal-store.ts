/**
 * What reviewers save in the console's Textos page: per language and text, the corrected text
 * and whether they mark it reviewed, with who and when. The running content never changes from
 * here: an administrator downloads the proposals as the workbook `npm run content:import` reads.
 * The newest proposal for a text replaces the one before.
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

export interface Proposal {
  text: string;
  reviewed: boolean;
  /** the reviewer's name */
  by: string;
  /** when it was saved (ms) */
  at: number;
}

export class ProposalStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  async save(lang: string, textKey: string, proposal: Proposal): Promise<void> {
    await this.redis.hset(this.keys.reviewProposals(lang), textKey, JSON.stringify(proposal));
  }

  /** Every proposal of a language, by text key (`namespace:key`). */
  async forLanguage(lang: string): Promise<Map<string, Proposal>> {
    const all = await this.redis.hgetall(this.keys.reviewProposals(lang));
    return new Map(Object.entries(all).map(([key, raw]) => [key, JSON.parse(raw) as Proposal]));
  }
}
