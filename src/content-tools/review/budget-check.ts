/**
 * Runs the whole content check (`npm run content:check`, with its SMS budgets) on a copy of the
 * content with the review's files in place, so an import is held to exactly what the check
 * enforces, and a valid import always leaves the check passing. Over-budget messages are told
 * back to the rows that made them.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Language } from '../../content/locale-schema.js';
import { runContentCheck } from '../content-check.js';
import { renderLocale } from '../../i18n/review/locale-documents.js';
import type { ContentPlace } from '../../i18n/review/review-rows.js';
import { rowLabel, type RowEdit } from './row-checks.js';

const BUDGET_PROBLEM = / SMS segments, budget /;

/** Problems as `row N (file:key): …` lines, or `(content check) …` when no row is to blame. */
export function checkBudgets(place: ContentPlace, lang: Language, edits: readonly RowEdit[]): string[] {
  const changed = edits.filter((e) => e.textChanged);
  if (!changed.length) return [];
  const copy = mkdtempSync(path.join(os.tmpdir(), 'ayni-import-'));
  try {
    cpSync(path.resolve(place.root, place.flowsDir), path.join(copy, place.flowsDir), { recursive: true });
    cpSync(path.resolve(place.root, place.localesDir), path.join(copy, place.localesDir), {
      recursive: true,
    });
    for (const locale of new Set(changed.map((e) => e.locale))) {
      writeFileSync(path.join(copy, locale.file), renderLocale(locale));
    }
    const result = runContentCheck({ flowsDir: place.flowsDir, localesDir: place.localesDir }, copy);
    const lines = result.problems.filter((p) => !BUDGET_PROBLEM.test(p)).map((p) => `(content check) ${p}`);
    for (const m of result.messages) {
      if (m.lang !== lang || m.segments <= m.budget) continue;
      const key = m.key.replace(/ \(.*\)$/, '');
      const direct = changed.filter((e) => `${e.leaf.ns}:${e.leaf.key}` === key);
      const blamed = direct.length ? direct : changed.filter((e) => e.leaf.ns === m.flow);
      const said = `${m.segments} SMS segments as sent, budget ${m.budget}`;
      if (!blamed.length) lines.push(`(content check) ${m.key} (${lang}): ${said}`);
      for (const e of blamed) {
        lines.push(
          `${rowLabel(e.row)}: ${direct.length ? `takes ${said}` : `makes ${m.key} (${m.kind}) take ${said}`}`,
        );
      }
    }
    return [...new Set(lines)];
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
