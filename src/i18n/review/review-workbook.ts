/**
 * The review workbook (.xlsx, written and read with exceljs): one sheet named by the language code
 * (`ay`, `qu`) with one row per text, and a sheet of instructions. Headers are in Spanish, the
 * language every reviewer reads; the import finds columns by their header, not their position.
 */
import ExcelJS from 'exceljs';
import { LANGUAGES, type Language } from '../../content/locale-schema.js';
import type { ReviewRow } from './review-rows.js';

/** The columns, in order: what the header says and how wide it is (in characters). */
export const COLUMNS = {
  file: { header: 'Archivo', width: 40 },
  key: { header: 'Clave', width: 18 },
  source: { header: 'Español (original)', width: 45 },
  text: { header: 'Texto actual', width: 45 },
  status: { header: 'Estado', width: 10 },
  reviewer: { header: 'Revisor', width: 14 },
  note: { header: 'Nota', width: 35 },
  segments: { header: 'Segmentos SMS', width: 10 },
  placeholders: { header: 'Marcadores que debe mantener', width: 16 },
  suggestions: { header: 'Sugerencias de estudiantes', width: 30 },
  corrected: { header: 'Texto corregido', width: 45 },
  reviewed: { header: 'Revisado (sí)', width: 10 },
} as const;
export type Column = keyof typeof COLUMNS;

/** What counts as "yes" in the reviewed column (after trimming and lowercasing). */
export const REVIEWED_YES = ['sí', 'si', 'x', 'yes', '1', 'true', 'jisa', 'arí', 'ari', '✓'];
const FILL_ME = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } } as const;
const HEADER_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } } as const;

const INSTRUCTIONS = [
  'Cómo revisar los textos de Ayni',
  '',
  '1. Lea el texto en español (columna C) y el texto actual (columna D).',
  '2. Si el texto actual no se entiende o no suena bien, escriba cómo lo diría en "Texto corregido".',
  '3. Si el texto (el actual o su corrección) está bien, escriba "sí" en "Revisado".',
  '4. Mantenga los marcadores como {{nombre}} tal cual: Ayni pone ahí un número o un nombre.',
  '5. Los textos van por SMS: un texto largo cuesta más mensajes a quien aprende.',
  '6. No cambie las columnas Archivo ni Clave: dicen a qué texto pertenece cada fila.',
];

const POINTS_PER_LINE = 15;

/**
 * Neither LibreOffice nor Excel grows a row to fit wrapped text a program wrote, so each row is
 * given the height of its tallest cell: its lines, each as long as the column is wide.
 */
function rowHeight(row: ExcelJS.Row): number {
  let lines = 1;
  row.eachCell((cell, col) => {
    const width = Math.max(1, (row.worksheet.getColumn(col).width ?? 10) - 1);
    const text = String(cell.value ?? '');
    const cellLines = text
      .split('\n')
      .reduce((sum, line) => sum + Math.max(1, Math.ceil([...line].length / width)), 0);
    lines = Math.max(lines, cellLines);
  });
  return lines * POINTS_PER_LINE;
}

function suggestionsCell(row: ReviewRow): string {
  return row.suggestions.map((s) => `${s.count}× ${s.text}`).join('\n');
}

/** Builds the workbook for one language. */
export function buildWorkbook(lang: Language, rows: readonly ReviewRow[]): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Ayni';
  const sheet = workbook.addWorksheet(lang, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  sheet.columns = Object.entries(COLUMNS).map(([key, { header, width }]) => ({ key, header, width }));
  for (const row of rows) {
    sheet.addRow({
      file: row.file,
      key: row.key,
      source: row.source,
      text: row.text,
      status: row.status,
      reviewer: row.reviewer ?? '',
      note: row.note,
      segments: row.segments,
      placeholders: row.placeholders.join(' '),
      suggestions: suggestionsCell(row),
      corrected: row.corrected ?? '',
      reviewed: row.reviewed ? 'sí' : '',
    });
  }
  sheet.eachRow((excelRow, n) => {
    excelRow.alignment = { wrapText: true, vertical: 'top' };
    excelRow.height = rowHeight(excelRow);
    if (n === 1) {
      excelRow.font = { bold: true };
      excelRow.eachCell((cell) => (cell.fill = HEADER_FILL));
      return;
    }
    for (const column of ['corrected', 'reviewed'] as const) excelRow.getCell(column).fill = FILL_ME;
    excelRow.getCell('reviewed').dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: ['"sí"'],
    };
  });
  // Printed (or rendered to PDF) across one page's width, the header on every page.
  sheet.pageSetup = {
    orientation: 'landscape',
    paperSize: 9, // A4
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: '1:1',
  };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columnCount } };
  const help = workbook.addWorksheet('Instrucciones');
  help.getColumn(1).width = 100;
  INSTRUCTIONS.forEach((line, i) => (help.getCell(i + 1, 1).value = line));
  help.getCell(1, 1).font = { bold: true };
  return workbook;
}

export async function writeWorkbook(file: string, lang: Language, rows: readonly ReviewRow[]): Promise<void> {
  await buildWorkbook(lang, rows).xlsx.writeFile(file);
}

/** One filled row as read back: where it is and what the reviewer wrote. */
export interface FilledRow {
  /** the row's number in the sheet, as the reviewer sees it (the header is row 1) */
  row: number;
  file: string;
  key: string;
  /** the corrected text as typed, or '' when the cell is empty */
  corrected: string;
  /** the reviewed cell as typed, trimmed */
  reviewed: string;
}

export interface ReadWorkbook {
  lang: Language;
  rows: FilledRow[];
}

/** A cell's text, whatever exceljs made of it (rich text, a formula's result, a number). */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('text' in value) return String(value.text);
  if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
  return '';
}

/** Reads a workbook back; throws with a message a reviewer understands when it is not one of ours. */
export async function readWorkbook(file: string): Promise<ReadWorkbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets.find((s) => (LANGUAGES as readonly string[]).includes(s.name));
  if (!sheet || sheet.name === 'es') {
    throw new Error(`${file}: no sheet named ay or qu: is this a workbook from npm run content:export?`);
  }
  const header = sheet.getRow(1);
  const where = new Map<string, number>();
  header.eachCell((cell, col) => where.set(cellText(cell.value).trim(), col));
  const missing = (['file', 'key', 'corrected', 'reviewed'] as const).filter(
    (c) => !where.has(COLUMNS[c].header),
  );
  if (missing.length) {
    throw new Error(`${file}: missing column(s) ${missing.map((c) => `"${COLUMNS[c].header}"`).join(', ')}`);
  }
  const read = (r: ExcelJS.Row, c: Column) => cellText(r.getCell(where.get(COLUMNS[c].header)!).value);
  const rows: FilledRow[] = [];
  sheet.eachRow((r, n) => {
    if (n === 1) return;
    const row = { row: n, file: read(r, 'file').trim(), key: read(r, 'key').trim() };
    const filled = { corrected: read(r, 'corrected'), reviewed: read(r, 'reviewed').trim() };
    if (!row.file && !row.key && !filled.corrected && !filled.reviewed) return; // a blank line
    rows.push({ ...row, ...filled });
  });
  return { lang: sheet.name as Language, rows };
}
