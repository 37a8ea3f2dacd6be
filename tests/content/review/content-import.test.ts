// The spreadsheet round trip against a copy of the real course: export a language, fill the
// workbook as a reviewer would, import it. Nothing is written unless every row is sound.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runContentCheck } from '../../../src/content-tools/content-check.js';
import { importReview } from '../../../src/content-tools/review/import-review.js';
import type { ContentPlace } from '../../../src/i18n/review/review-rows.js';
import { buttonLabelLimits, labelLength } from '../../../src/content/whatsapp-limits.js';
import { copyCourse, exportWorkbook, fillWorkbook, loadPlace, snapshotLocales, textsOf } from './helpers.js';

let place: ContentPlace & { cleanup: () => void };
beforeEach(() => {
  place = copyCourse();
});
afterEach(() => place.cleanup());

const run = (workbook: string, dryRun = false, reviewer = 'Ana Mamani') =>
  importReview({ place, workbook, reviewer, dryRun });
const readLocale = (file: string) => readFileSync(path.join(place.root, file), 'utf8');
const WIC = 'locales/ay/what-is-a-cooperative.yaml';

describe('npm run content:import', () => {
  it('changes no byte of any file when the workbook comes back without edits', async () => {
    const before = snapshotLocales(place);
    for (const lang of ['ay', 'qu'] as const) {
      const result = await run(await exportWorkbook(place, lang));
      expect(result).toMatchObject({ problems: [], changed: [], newlyReviewed: [], written: [] });
      expect(result.unchanged).toBe(loadPlace(place).locales[lang].size);
    }
    expect(snapshotLocales(place)).toEqual(before);
  });

  it('writes a correction and a review mark in place, keeping comments, order and quoting', async () => {
    const before = readLocale(WIC);
    const { out } = await fillWorkbook(await exportWorkbook(place, 'ay', 'what-is-a-cooperative'), [
      { key: 'q_owners.b', corrected: '  Socionakapawa ', reviewed: 'sí' },
      { key: 'intro', reviewed: 'X' },
      { key: 'bolivia', corrected: 'Bolivianx 3.000 jila cooperativanakaw utji.' },
    ]);
    const result = await run(out);
    expect(result.problems).toEqual([]);
    expect(result.changed).toEqual([`${WIC}:q_owners.b`, `${WIC}:bolivia`]);
    expect(result.newlyReviewed).toEqual([`${WIC}:intro`, `${WIC}:q_owners.b`]);
    // every other text of the lesson
    expect(result.unchanged).toBe(textsOf(place, 'ay', 'what-is-a-cooperative') - 3);
    expect(result.written).toEqual([WIC]);

    const after = readLocale(WIC);
    const changedLines = after.split('\n').filter((line, i) => line !== before.split('\n')[i]);
    expect(changedLines).toEqual([
      '  status: reviewed', // intro
      '  reviewer: Ana Mamani',
      '    text: "Socionakapawa"',
      '    status: reviewed',
      '    reviewer: Ana Mamani',
      '  text: "Bolivianx 3.000 jila cooperativanakaw utji."',
    ]);
    expect(after.split('\n').length).toBe(before.split('\n').length);
    expect(after.startsWith('# Aymara (Central Aymara, Bolivia).')).toBe(true);
    expect(parse(after).bolivia.status).toBe('draft');
    expect(runContentCheck(place, place.root).problems).toEqual([]);
  });

  it('--dry-run reports the same summary and writes nothing', async () => {
    const before = snapshotLocales(place);
    const { out } = await fillWorkbook(await exportWorkbook(place, 'ay', 'what-is-a-cooperative'), [
      { key: 'intro', corrected: 'Cooperativax mä empresawa.', reviewed: 'sí' },
    ]);
    const result = await run(out, true);
    expect(result).toMatchObject({
      problems: [],
      changed: [`${WIC}:intro`],
      newlyReviewed: [`${WIC}:intro`],
      written: [],
    });
    expect(snapshotLocales(place)).toEqual(before);
  });

  it('refuses an import without a reviewer name', async () => {
    const result = await run(await exportWorkbook(place, 'ay', 'what-is-a-cooperative'), false, '  ');
    expect(result.problems).toEqual(['--reviewer "Name" is required: the name of who reviewed the texts']);
  });
});

describe('every kind of invalid row is named, and nothing is written', () => {
  async function expectRejected(
    fills: Parameters<typeof fillWorkbook>[1],
    problems: (rows: Map<string, number>) => string[],
    extra: Parameters<typeof fillWorkbook>[2] = [],
  ) {
    const before = snapshotLocales(place);
    // A sound correction beside the bad row: it must not be written either.
    const good = { key: 'definition', corrected: 'Alianza Cooperativa Internacionalax akham siwa.' };
    const { out, rows } = await fillWorkbook(
      await exportWorkbook(place, 'ay', 'what-is-a-cooperative'),
      [good, ...fills],
      extra,
    );
    const result = await run(out);
    expect(result.problems).toEqual(problems(rows));
    expect(result.written).toEqual([]);
    expect(snapshotLocales(place)).toEqual(before);
  }

  it('a key that does not exist', async () => {
    await expectRejected([{ key: 'ayni', setKey: 'aynii', corrected: 'Ayni.' }], (rows) => [
      `row ${rows.get('ayni')} (${WIC}:aynii): no such text in ${WIC}: was the key or the file changed?`,
    ]);
  });

  it('a row without file or key', async () => {
    await expectRejected(
      [],
      (rows) => [`row ${rows.get('extra:')} (?:?): the Archivo and Clave cells must name a text`],
      [{ key: '', corrected: 'Kamisaki' }],
    );
  });

  it('a placeholder lost or changed', async () => {
    // common.yaml is not in the lesson's workbook: export the whole language for this one.
    const before = snapshotLocales(place);
    const { out, rows } = await fillWorkbook(await exportWorkbook(place, 'ay'), [
      { file: 'locales/ay/common.yaml', key: 'right', corrected: 'Chiqawa! {{explicacion}}' },
      { file: 'locales/ay/common.yaml', key: 'lesson_done', corrected: 'Tukuyawaytaxa! {{score}}/{{total}}' },
    ]);
    const result = await run(out);
    expect(result.problems).toEqual([
      `row ${rows.get('right')} (locales/ay/common.yaml:right): placeholders must be exactly as in Spanish ({{explanation}}); the text has {{explicacion}}`,
      `row ${rows.get('lesson_done')} (locales/ay/common.yaml:lesson_done): placeholders must be exactly as in Spanish ({{score}} {{title}} {{total}}); the text has {{score}} {{total}}`,
    ]);
    expect(snapshotLocales(place)).toEqual(before);
  });

  it('an empty text', async () => {
    await expectRejected([{ key: 'ayni', corrected: '   ' }], (rows) => [
      `row ${rows.get('ayni')} (${WIC}:ayni): the corrected text is empty: leave the cell empty to keep the current text`,
    ]);
  });

  it('an invisible control character', async () => {
    await expectRejected([{ key: 'ayni', corrected: 'Ayni\u200b mink’a' }], (rows) => [
      `row ${rows.get('ayni')} (${WIC}:ayni): the corrected text holds an invisible control character: retype it`,
    ]);
  });

  it('a text over its SMS budget as sent', async () => {
    await expectRejected(
      [{ key: 'democracy', corrected: 'Cooperativanx sapa socioxa mä votoniwa. '.repeat(8).trim() }],
      (rows) => [`row ${rows.get('democracy')} (${WIC}:democracy): takes 3 SMS segments as sent, budget 2`],
    );
  });

  it('an option that pushes its question over the SMS budget', async () => {
    // Its Spanish is longer than a button allows, so only the SMS budget holds it back.
    const file = 'locales/ay/ayni-minka-ayllu.yaml';
    const { out, rows } = await fillWorkbook(await exportWorkbook(place, 'ay', 'ayni-minka-ayllu'), [
      {
        key: 'q_bridge.c',
        corrected: 'Capitalani, estatutoni, socionakani, asambleani mä empresa. '.repeat(5).trim(),
      },
    ]);
    const result = await run(out);
    expect(result.problems).toEqual([
      `row ${rows.get('q_bridge.c')} (${file}:q_bridge.c): makes ayni-minka-ayllu:q_bridge.text (step) take 3 SMS segments as sent, budget 2`,
    ]);
    expect(result.written).toEqual([]);
  });

  it('an option label longer than a WhatsApp button allows', async () => {
    // An option of the lesson whose Spanish fits a button (which ones do is up to the content).
    const [qualified, limit] = [...buttonLabelLimits(loadPlace(place))].find(([k]) =>
      k.startsWith('what-is-a-cooperative:'),
    )!;
    const key = qualified.slice('what-is-a-cooperative:'.length);
    const tooLong = 'Socionakaw dueñopaxa, socionakaw'.slice(0, limit + 1);
    expect(labelLength(tooLong)).toBe(limit + 1);
    await expectRejected([{ key, corrected: tooLong }], (rows) => [
      `row ${rows.get(key)} (${WIC}:${key}): an option that will be a WhatsApp button may have at most ${limit} characters; this one has ${limit + 1}`,
    ]);
  });

  it('a reviewed mark that is not understood', async () => {
    await expectRejected([{ key: 'intro', reviewed: 'quizás' }], (rows) => [
      `row ${rows.get('intro')} (${WIC}:intro): "Revisado (sí)" must be "sí" or empty, not "quizás"`,
    ]);
  });

  it('a text in a file the yaml library would reformat', async () => {
    // A double-quoted text with a line break is folded when written back: correct such a file by hand.
    const absolute = path.join(place.root, WIC);
    writeFileSync(absolute, readLocale(WIC).replace('empresawa: socionakaw', 'empresawa:\\nsocionakaw'));
    await expectRejected([{ key: 'title', reviewed: 'sí' }], (rows) => [
      `row ${rows.get('title')} (${WIC}:title): ${WIC} cannot be rewritten without changing its layout: correct it by hand`,
      `row ${rows.get('definition')} (${WIC}:definition): ${WIC} cannot be rewritten without changing its layout: correct it by hand`,
    ]);
  });

  it('the same text twice', async () => {
    await expectRejected(
      [],
      (rows) => [`row ${rows.get('extra:intro')} (${WIC}:intro): the same text is also in row 3`],
      [{ file: WIC, key: 'intro', reviewed: 'sí' }],
    );
  });
});
