/**
 * The name a learner asked to have on their certificate (NOMBRE <name>): Ayni knows no names
 * otherwise. Kept only for the certificate, under the learner's keyed id, and deleted by BORRAR
 * (Keyspace.erasedWithLearner).
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

export class CertificateNameStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  async set(learner: string, name: string): Promise<void> {
    await this.redis.set(this.keys.certificateName(learner), name);
  }

  async get(learner: string): Promise<string | null> {
    return this.redis.get(this.keys.certificateName(learner));
  }
}
