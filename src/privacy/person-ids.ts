/**
 * The ids that stand for a person, and what is derived from a person, as keyed hashes (HMAC-SHA256)
 * under the server's secret (ID_SECRET). An unkeyed hash of a phone number is no pseudonym: the
 * numbering plan has a few hundred million numbers, and hashing them all to find the one behind an
 * id takes well under a second. Without the secret, an id, a completion code or a message's
 * fingerprint says nothing about the number.
 *
 * Built once from the configuration (src/plugins/create-stores.ts) and passed to whoever names a
 * person: the stores, the engine, the outbound sender, the console.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** Characters of a learner id: 22 base64url characters, 132 bits. */
export const ID_LENGTH = 22;

/** Bytes of a message's fingerprint in the replay log (src/store/session-turns.ts). */
export const FINGERPRINT_BYTES = 6;

/** The shortest secret accepted: 32 characters. */
export const MIN_ID_SECRET_LENGTH = 32;

/** What the engine, the stores and the console use; the migration also builds today's ids' predecessor. */
export interface PersonIds {
  /** the id of a person's keys: the same for SMS and WhatsApp (E.164 in, 22 characters out) */
  learnerId(phone: string): string;
  /** what a learner's completion codes are derived from (src/flows/completion-code.ts) */
  completionSeed(learner: string): string;
  /** a short keyed fingerprint of a Twilio MessageSid, for the replay log */
  messageFingerprint(messageSid: string): Buffer;
}

export class KeyedPersonIds implements PersonIds {
  // One key per purpose, derived from the secret, so that no value made for one purpose (an id
  // shown somewhere) helps to compute another (a completion code). Held as KeyObjects: the same
  // HMACs, without handing createHmac raw key bytes to prepare on every call.
  private readonly idKey: KeyObject;
  private readonly codeKey: KeyObject;
  private readonly sidKey: KeyObject;

  constructor(secret: string) {
    if (secret.length < MIN_ID_SECRET_LENGTH) {
      throw new Error(`ID_SECRET must be at least ${MIN_ID_SECRET_LENGTH} characters`);
    }
    const derive = (purpose: string) =>
      createSecretKey(createHmac('sha256', secret).update(`ayni/${purpose}`).digest());
    this.idKey = derive('person-id');
    this.codeKey = derive('completion-code');
    this.sidKey = derive('message-sid');
  }

  learnerId(phone: string): string {
    return createHmac('sha256', this.idKey).update(phone).digest('base64url').slice(0, ID_LENGTH);
  }

  completionSeed(learner: string): string {
    return createHmac('sha256', this.codeKey).update(learner).digest('base64url').slice(0, ID_LENGTH);
  }

  messageFingerprint(messageSid: string): Buffer {
    return createHmac('sha256', this.sidKey).update(messageSid).digest().subarray(0, FINGERPRINT_BYTES);
  }
}
