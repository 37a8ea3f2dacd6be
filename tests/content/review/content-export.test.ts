// The review workbook as a reviewer opens it: one row per text with what they need beside it,
// a frozen header, wrapped text, and the two columns they fill.
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildReviewRows, type ContentPlace } from '../../../src/i18n/review/review-rows.js';
import { COLUMNS, writeWorkbook } from '../../../src/i18n/review/review-workbook.js';
import path from 'node:path';
import { copyCourse, loadPlace } from './helpers.js';

let place: ContentPlace & { cleanup: () => void };
beforeEach(() => {
  place = copyCourse();
});
afterEach(() => place.cleanup());

async function openExport(rows: ReturnType<typeof buildReviewRows>) {
  const file = path.join(place.root, 'out.xlsx');
  await writeWorkbook(file, 'qu', rows);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  return workbook;
}

describe('npm run content:export', () => {
  it('writes one row per text with its source, note, SMS segments, placeholders and suggestions', async () => {
    const suggestions = new Map([
      [
        'common:right',
        [
          { text: 'Allinmi!', count: 1 },
          { text: 'Chiqaqmi! {{explanation}}', count: 3 },
        ],
      ],
    ]);
    const rows = buildReviewRows(place, { lang: 'qu' }, suggestions);
    // every Quechua text the course has, as the app loads it
    const texts = loadPlace(place).locales.qu.size;
    expect(rows).toHaveLength(texts);
    const workbook = await openExport(rows);
    const sheet = workbook.getWorksheet('qu')!;
    expect(sheet.rowCount).toBe(texts + 1);
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).values).toEqual([undefined, ...Object.values(COLUMNS).map((c) => c.header)]);
    Object.values(COLUMNS).forEach((c, i) => expect(sheet.getColumn(i + 1).width).toBe(c.width));

    const right = sheet.getRows(2, texts)!.find((r) => r.getCell(2).value === 'right')!;
    expect(right.getCell(1).value).toBe('locales/qu/common.yaml');
    expect(right.getCell(3).value).toBe('¡Correcto! {{explanation}}');
    expect(right.getCell(5).value).toBe('draft');
    expect(right.getCell(8).value).toBe(1);
    expect(right.getCell(9).value).toBe('{{explanation}}');
    // most-suggested first
    expect(right.getCell(10).value).toBe('3× Chiqaqmi! {{explanation}}\n1× Allinmi!');
    expect(right.getCell(4).alignment).toMatchObject({ wrapText: true });
    expect(workbook.getWorksheet('Instrucciones')).toBeDefined();
  });

  it('filters by status and by lesson', () => {
    expect(buildReviewRows(place, { lang: 'ay', status: 'reviewed' })).toEqual([]);
    const lesson = buildReviewRows(place, { lang: 'ay', status: 'draft', lesson: 'what-is-a-cooperative' });
    expect(lesson.map((r) => r.key).slice(0, 3)).toEqual(['title', 'intro', 'ayni']);
    expect(new Set(lesson.map((r) => r.file))).toEqual(new Set(['locales/ay/what-is-a-cooperative.yaml']));
  });
});
