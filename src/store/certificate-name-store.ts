/**
 * The name a learner asked to have on their certificate (NOMBRE <name>): Ayni knows no names
 * otherwise. Kept only for the certificate, under the learner's keyed id, deleted by BORRAR
 * (Keyspace.erasedWithLearner), and gone by itself after CERTIFICATE_NAME_DAYS.
 */
import type { RedisClient } from './redis-client.js';
import type { Keyspace } from './keyspace.js';

/**
 * A name is personal data kept for one picture: a learner sends NOMBRE when they get their
 * certificate (or just before), so a month covers that with room to spare, and a learner who
 * stopped does not leave their name behind for good. NOMBRE again keeps it another month.
 */
export const CERTIFICATE_NAME_DAYS = 30;
const CERTIFICATE_NAME_TTL_SECONDS = CERTIFICATE_NAME_DAYS * 24 * 60 * 60;

export class CertificateNameStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  async set(learner: string, name: string): Promise<void> {
    await this.redis.set(this.keys.certificateName(learner), name, 'EX', CERTIFICATE_NAME_TTL_SECONDS);
  }

  async get(learner: string): Promise<string | null> {
    return this.redis.get(this.keys.certificateName(learner));
  }
}
