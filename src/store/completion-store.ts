/**
 * Completion codes earned, so that a coordinator can check one: code -> section, day, learner.
 * A code is stored only when the engine sees the learner earn it, and removed by BORRAR.
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

export interface CompletionRecord {
  code: string;
  section: string;
  /** YYYY-MM-DD in Bolivia */
  on: string;
  /** the learner's pseudonymous id, never the number */
  learner: string;
}

export class CompletionStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  async record(record: CompletionRecord): Promise<void> {
    await this.redis.set(this.keys.completion(record.code), JSON.stringify(record));
  }

  async find(code: string): Promise<CompletionRecord | null> {
    const raw = await this.redis.get(this.keys.completion(code));
    return raw ? (JSON.parse(raw) as CompletionRecord) : null;
  }

  async delete(code: string): Promise<void> {
    await this.redis.del(this.keys.completion(code));
  }
}
