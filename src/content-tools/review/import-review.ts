/**
 * `npm run content:import`: reads a filled review workbook, checks every row before writing
 * anything, and then updates the locale files in place (text, `status: reviewed`, `reviewer`).
 * One problem anywhere and nothing is written.
 */
import path from 'node:path';
import { loadContent } from '../../content/load-content.js';
import { buttonLabelLimits } from '../../content/whatsapp-limits.js';
import { cleanName } from '../../reading/names.js';
import { checkBudgets } from './budget-check.js';
import {
  leavesOf,
  readLocaleFiles,
  setLeafField,
  writeIfChanged,
} from '../../i18n/review/locale-documents.js';
import type { ContentPlace } from '../../i18n/review/review-rows.js';
import { checkRow, rowLabel, type RowEdit } from './row-checks.js';
import { readWorkbook } from '../../i18n/review/review-workbook.js';

export interface ImportOptions {
  place: ContentPlace;
  workbook: string;
  reviewer: string;
  dryRun: boolean;
}

export interface ImportResult {
  /** every problem, one line each; when any, nothing was written */
  problems: string[];
  /** `file:key` of texts whose wording changed */
  changed: string[];
  /** `file:key` of texts marked reviewed that were not before */
  newlyReviewed: string[];
  unchanged: number;
  /** files written (none on a dry run) */
  written: string[];
}

const empty = (problems: string[]): ImportResult => ({
  problems,
  changed: [],
  newlyReviewed: [],
  unchanged: 0,
  written: [],
});

export async function importReview(options: ImportOptions): Promise<ImportResult> {
  const { place } = options;
  const reviewer = cleanName(options.reviewer);
  if (!reviewer) return empty(['--reviewer "Name" is required: the name of who reviewed the texts']);
  const { lang, rows } = await readWorkbook(options.workbook);

  const content = loadContent(
    {
      flowsDir: path.resolve(place.root, place.flowsDir),
      localesDir: path.resolve(place.root, place.localesDir),
    },
    place.root,
  );
  const locales = readLocaleFiles(place.root, place.localesDir, lang);
  const leaves = new Map(
    locales.flatMap((locale) =>
      leavesOf(locale).map((leaf) => [`${leaf.file}|${leaf.key}`, { locale, leaf }] as const),
    ),
  );
  const ctx = { leaves, spanish: content.locales.es, buttonLimits: buttonLabelLimits(content) };

  const problems: string[] = [];
  const edits: RowEdit[] = [];
  const seen = new Map<string, number>();
  for (const row of rows) {
    const id = `${row.file}|${row.key}`;
    const before = seen.get(id);
    if (before !== undefined) {
      problems.push(`${rowLabel(row)}: the same text is also in row ${before}`);
      continue;
    }
    seen.set(id, row.row);
    const checked = checkRow(row, ctx);
    if (typeof checked === 'string') problems.push(`${rowLabel(row)}: ${checked}`);
    else edits.push(checked);
  }
  // The sound rows are measured too, so one run shows every problem.
  const result = applyEdits(edits, reviewer);
  problems.push(...checkBudgets(place, lang, edits));
  if (problems.length) return empty(sortByRow(problems));
  if (!options.dryRun) {
    result.written = locales.filter((locale) => writeIfChanged(locale)).map((l) => l.file);
  }
  return result;
}

/** Changes the documents in memory; says what changed. */
function applyEdits(edits: readonly RowEdit[], reviewer: string): ImportResult {
  const result = empty([]);
  for (const edit of edits) {
    const { locale, leaf } = edit;
    const name = `${leaf.file}:${leaf.key}`;
    const review = edit.markReviewed && (leaf.status !== 'reviewed' || edit.textChanged);
    if (edit.textChanged) {
      setLeafField(locale, leaf.key, 'text', edit.text);
      result.changed.push(name);
      if (!review && leaf.status === 'reviewed') {
        // The reviewed wording is gone; the new one waits for its own review.
        setLeafField(locale, leaf.key, 'status', 'draft');
      }
    }
    if (review) {
      setLeafField(locale, leaf.key, 'status', 'reviewed');
      setLeafField(locale, leaf.key, 'reviewer', reviewer);
      if (leaf.status !== 'reviewed') result.newlyReviewed.push(name);
    }
    if (!edit.textChanged && !review) result.unchanged++;
  }
  return result;
}

/** Problems in the order of the sheet's rows; those no row is to blame for last. */
function sortByRow(problems: string[]): string[] {
  const rowOf = (p: string) => Number(/^row (\d+) /.exec(p)?.[1] ?? Infinity);
  return [...problems].sort((a, b) => rowOf(a) - rowOf(b));
}
