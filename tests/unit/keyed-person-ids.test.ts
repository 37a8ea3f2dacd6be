// The person ids, completion seeds and message fingerprints, against HMACs written out afresh from
// their definition (a key per purpose, HMAC-SHA256 of the secret over `ayni/<purpose>`): holding
// the keys as KeyObjects must not change a byte of what is stored under them.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';
import { FINGERPRINT_BYTES, ID_LENGTH, KeyedPersonIds } from '../../src/privacy/person-ids.js';

function reference(secret: string) {
  const key = (purpose: string) => createHmac('sha256', secret).update(`ayni/${purpose}`).digest();
  const mac = (purpose: string, text: string) => createHmac('sha256', key(purpose)).update(text).digest();
  return {
    learnerId: (phone: string) => mac('person-id', phone).toString('base64url').slice(0, ID_LENGTH),
    completionSeed: (learner: string) =>
      mac('completion-code', learner).toString('base64url').slice(0, ID_LENGTH),
    messageFingerprint: (sid: string) => mac('message-sid', sid).subarray(0, FINGERPRINT_BYTES),
  };
}

const secret = fc.oneof(
  fc.constant(DEVELOPMENT_ID_SECRET),
  fc.string({ unit: 'grapheme', minLength: 32, maxLength: 64 }),
  fc.string({ unit: 'binary', minLength: 32, maxLength: 64 }),
);
const input = fc.oneof(
  fc.constantFrom('+59171234567', '+15005550006', '', 'SM' + '0'.repeat(32), 'abcdefghijklmnopqrstuv'),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

describe('KeyedPersonIds', () => {
  it('gives the same ids, seeds and fingerprints as HMACs computed from scratch', () => {
    fc.assert(
      fc.property(secret, fc.array(input, { minLength: 1, maxLength: 5 }), (s, texts) => {
        const ids = new KeyedPersonIds(s);
        const expected = reference(s);
        for (const text of texts) {
          expect(ids.learnerId(text)).toBe(expected.learnerId(text));
          expect(ids.completionSeed(text)).toBe(expected.completionSeed(text));
          expect(ids.messageFingerprint(text).equals(expected.messageFingerprint(text))).toBe(true);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('gives the development secret the values it gave before the keys were KeyObjects', () => {
    const ids = new KeyedPersonIds(DEVELOPMENT_ID_SECRET);
    expect(ids.learnerId('+59171234567')).toBe('nPXUBhB8JYQQqjiEoXp4Ey');
    expect(ids.completionSeed('abcdefghijklmnopqrstuv')).toBe('vPaq70opoA1345-OxWIWTL');
    expect(ids.messageFingerprint('SM' + '0'.repeat(32)).toString('hex')).toBe('c20086353c85');
  });
});
