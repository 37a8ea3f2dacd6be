/**
 * Where every process finds the ContentSids of WhatsApp's interactive messages: one hash, name ->
 * sid, replaced whole by `npm run whatsapp:sync` (one key, so MULTI stays in one slot).
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

export class WhatsAppContentStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  /** The ContentSid synced under this name; null when the sync has not made it. */
  async sidOf(name: string): Promise<string | null> {
    return this.redis.hget(this.keys.whatsappContent(), name);
  }

  async all(): Promise<Record<string, string>> {
    return this.redis.hgetall(this.keys.whatsappContent());
  }

  /** Replaces every name -> sid at once: no process ever reads half a sync. */
  async replaceAll(sids: Record<string, string>): Promise<void> {
    const key = this.keys.whatsappContent();
    const multi = this.redis.multi().del(key);
    if (Object.keys(sids).length > 0) multi.hset(key, sids);
    await multi.exec();
  }
}
