// The keyed ids the app makes in the tests: outside production, ID_SECRET is the development one.
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';
import { KeyedPersonIds } from '../../src/privacy/person-ids.js';

export const testPersonIds = new KeyedPersonIds(DEVELOPMENT_ID_SECRET);

/** A learner's (or a coordinator's) id, as the app under test names their keys. */
export function learnerId(phone: string): string {
  return testPersonIds.learnerId(phone);
}
