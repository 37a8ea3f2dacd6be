/**
 * The first time a learner chooses a language whose texts are still drafts (any but the Spanish
 * source), they are told so, and that CORREGIR lets them say how they would write a text. The
 * engine (steps/learner-flow.ts) and the walk through the course (content-tools/course-walk.ts)
 * both ask here, so the price of the course counts the notice where a learner gets it.
 */
import { SOURCE_LANGUAGE, type Language } from '../content/locale-schema.js';
import { sayText, type Said } from './said.js';

export interface DraftNotice {
  said: Said;
  /** the languages the learner has now been told about, to keep in their session */
  noticed: Language[];
}

/** The notice a turn that moved the learner from `before` to `after` brings, if any. */
export function draftNotice(
  noticed: readonly Language[] | undefined,
  before: Language | null,
  after: Language | null,
): DraftNotice | null {
  if (!after || after === before || after === SOURCE_LANGUAGE) return null;
  const told = noticed ?? [];
  if (told.includes(after)) return null;
  return { said: sayText(after, 'draft_notice'), noticed: [...told, after] };
}
