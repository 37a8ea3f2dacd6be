// A copy of the real course in a temporary folder, its review workbook, and a way to fill the
// workbook's cells the way a reviewer would in LibreOffice or Excel (read, change, save).
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadContent, type LoadedContent } from '../../../src/content/load-content.js';
import type { Language } from '../../../src/content/locale-schema.js';
import { buildReviewRows, type ContentPlace } from '../../../src/i18n/review/review-rows.js';
import { COLUMNS, writeWorkbook } from '../../../src/i18n/review/review-workbook.js';

export function copyCourse(): ContentPlace & { cleanup: () => void } {
  const root = mkdtempSync(path.join(tmpdir(), 'ayni-review-'));
  cpSync('flows', path.join(root, 'flows'), { recursive: true });
  cpSync('locales', path.join(root, 'locales'), { recursive: true });
  return {
    root,
    flowsDir: 'flows',
    localesDir: 'locales',
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/**
 * The course as the app loads it, for tests to derive counts from the content (a trainer adds
 * texts) rather than hard-code them.
 */
export function loadPlace(place: ContentPlace): LoadedContent {
  const { root, flowsDir, localesDir } = place;
  return loadContent(
    { flowsDir: path.resolve(root, flowsDir), localesDir: path.resolve(root, localesDir) },
    root,
  );
}

/** How many texts a lesson (a locale namespace) has in a language. */
export function textsOf(place: ContentPlace, lang: Language, lesson: string): number {
  return [...loadPlace(place).locales[lang].keys()].filter((k) => k.startsWith(`${lesson}:`)).length;
}

/** Every locale file's bytes, by path, to compare before and after. */
export function snapshotLocales(place: ContentPlace): Map<string, string> {
  const files = new Map<string, string>();
  for (const lang of ['es', 'ay', 'qu']) {
    const dir = path.join(place.root, place.localesDir, lang);
    for (const name of readdirSync(dir))
      files.set(`${lang}/${name}`, readFileSync(path.join(dir, name), 'utf8'));
  }
  return files;
}

export async function exportWorkbook(place: ContentPlace, lang: Language, lesson?: string): Promise<string> {
  const file = path.join(place.root, `review-${lang}.xlsx`);
  await writeWorkbook(file, lang, buildReviewRows(place, { lang, lesson }));
  return file;
}

let filled = 0;

export type Fill = { key: string; file?: string; corrected?: string; reviewed?: string; setKey?: string };

/** Fills cells of rows found by their key (and file); returns the new workbook's path and rows. */
export async function fillWorkbook(
  file: string,
  fills: Fill[],
  extraRows: Fill[] = [],
): Promise<{ out: string; rows: Map<string, number> }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0]!;
  const col = (c: keyof typeof COLUMNS) => Object.keys(COLUMNS).indexOf(c) + 1;
  const rows = new Map<string, number>();
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const key = String(row.getCell(col('key')).value);
    const rowFile = String(row.getCell(col('file')).value);
    const fill = fills.find((f) => f.key === key && (!f.file || f.file === rowFile));
    if (!fill) return;
    rows.set(fill.key, n);
    if (fill.corrected !== undefined) row.getCell(col('corrected')).value = fill.corrected;
    if (fill.reviewed !== undefined) row.getCell(col('reviewed')).value = fill.reviewed;
    if (fill.setKey !== undefined) row.getCell(col('key')).value = fill.setKey;
  });
  for (const extra of extraRows) {
    const row = sheet.addRow([]);
    row.getCell(col('file')).value = extra.file ?? '';
    row.getCell(col('key')).value = extra.key;
    row.getCell(col('corrected')).value = extra.corrected ?? '';
    row.getCell(col('reviewed')).value = extra.reviewed ?? '';
    rows.set(`extra:${extra.key}`, row.number);
  }
  const out = file.replace(/\.xlsx$/, `-filled-${++filled}.xlsx`);
  await workbook.xlsx.writeFile(out);
  return { out, rows };
}
