/**
 * The rows of a review workbook: one per Aymara or Quechua text, with what a reviewer needs beside
 * it (the Spanish source, the note, how many SMS segments the text costs as sent, the placeholders
 * it must keep, and what learners suggested for it).
 */
import path from 'node:path';
import type { Language } from '../../content/locale-schema.js';
import { placeholdersOf } from '../../content/placeholders.js';
import { loadContent } from '../../content/load-content.js';
import { loadSpellingPolicy } from '../load-spelling-policy.js';
import { segmentInfo, spellForChannel, type SpellingPolicy } from '../sms-spelling.js';
import { leavesOf, readLocaleFiles, type LocaleLeaf } from './locale-documents.js';

/** A suggestion learners sent for a text, with how many sent it. */
export interface Suggestion {
  text: string;
  count: number;
}

/** Suggestions per text, keyed `namespace:key` (`what-is-a-cooperative:q_owners.text`). */
export type SuggestionsByText = ReadonlyMap<string, readonly Suggestion[]>;

export interface ReviewRow extends LocaleLeaf {
  source: string;
  segments: number;
  placeholders: string[];
  suggestions: readonly Suggestion[];
  /** filled only in a workbook of proposals (the console's download) */
  corrected?: string;
  reviewed?: boolean;
}

export interface RowFilter {
  lang: Language;
  /** only texts with this status (`draft`) */
  status?: string | undefined;
  /** only this namespace (a lesson id, `feasibility` or `common`) */
  lesson?: string | undefined;
}

export interface ContentPlace {
  root: string;
  flowsDir: string;
  localesDir: string;
}

/** The SMS segments a text costs alone, spelled as it goes out by SMS in its language. */
export function smsSegments(text: string, lang: Language, spelling: SpellingPolicy): number {
  return segmentInfo(spellForChannel(text, lang, 'sms', spelling)).segments;
}

export function buildReviewRows(
  place: ContentPlace,
  filter: RowFilter,
  suggestions: SuggestionsByText = new Map(),
): ReviewRow[] {
  const { root, flowsDir, localesDir } = place;
  const content = loadContent(
    { flowsDir: path.resolve(root, flowsDir), localesDir: path.resolve(root, localesDir) },
    root,
  );
  const spelling = loadSpellingPolicy(path.resolve(root, localesDir));
  const leaves = readLocaleFiles(root, localesDir, filter.lang).flatMap(leavesOf);
  return leaves
    .filter((leaf) => !filter.status || leaf.status === filter.status)
    .filter((leaf) => !filter.lesson || leaf.ns === filter.lesson)
    .map((leaf) => {
      const qualified = `${leaf.ns}:${leaf.key}`;
      const source = content.locales.es.get(qualified)?.text ?? '';
      return {
        ...leaf,
        source,
        segments: smsSegments(leaf.text, filter.lang, spelling),
        placeholders: [...new Set(placeholdersOf(source))],
        suggestions: [...(suggestions.get(qualified) ?? [])].sort((a, b) => b.count - a.count),
      };
    });
}
