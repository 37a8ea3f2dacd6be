// The ids Ayni made before ID_SECRET, to fill a Redis the way that version left it: a person's id
// was the unkeyed SHA-256 of their number, and a completion code was made from that id.
import { legacyLearnerId } from '../../src/cli/migrate-ids/id-map.js';
import type { PersonIds } from '../../src/privacy/person-ids.js';
import { testPersonIds } from './person-ids.js';

export const legacyPersonIds: PersonIds = {
  learnerId: legacyLearnerId,
  completionSeed: (learner) => learner,
  // That version kept no replay log; what the app writes here is deleted after the fill.
  messageFingerprint: (sid) => testPersonIds.messageFingerprint(sid),
};
