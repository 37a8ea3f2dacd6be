/**
 * The checks one row of a filled review workbook must pass on its own: it names a text that
 * exists, once; its marks are understood; its new text is not empty, keeps the placeholders of
 * the Spanish source and, for an option that will be a WhatsApp button, fits the button's limit.
 * The SMS budget needs the whole course and is checked afterwards (budget-check.ts).
 */
import type { LocaleEntry } from '../../content/load-content.js';
import { placeholdersOf, samePlaceholders } from '../../content/placeholders.js';
import { labelLength } from '../../content/whatsapp-limits.js';
import type { LocaleFile, LocaleLeaf } from '../../i18n/review/locale-documents.js';
import { COLUMNS, REVIEWED_YES, type FilledRow } from '../../i18n/review/review-workbook.js';

/** What a valid row asks for: a new text, a review mark, or both. */
export interface RowEdit {
  row: FilledRow;
  locale: LocaleFile;
  leaf: LocaleLeaf;
  /** the text after the review (the correction, or the current text) */
  text: string;
  textChanged: boolean;
  markReviewed: boolean;
}

export interface RowContext {
  /** `file|key` -> where the text is */
  leaves: ReadonlyMap<string, { locale: LocaleFile; leaf: LocaleLeaf }>;
  spanish: ReadonlyMap<string, LocaleEntry>;
  /** qualified key -> the longest label, for options that will be buttons */
  buttonLimits: ReadonlyMap<string, number>;
}

export const rowLabel = (row: FilledRow) => `row ${row.row} (${row.file || '?'}:${row.key || '?'})`;

/** The typed correction as Ayni would store it: line ends unified, composed, trimmed. */
export function cleanCorrection(typed: string): string {
  return typed.replace(/\r\n?/g, '\n').normalize('NFC').trim();
}

// Control characters other than the line break (tab and friends) never belong in a message.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Checks one row; returns the edit it asks for, or what is wrong with it. */
export function checkRow(row: FilledRow, ctx: RowContext): RowEdit | string {
  if (!row.file || !row.key) return 'the Archivo and Clave cells must name a text';
  const found = ctx.leaves.get(`${row.file}|${row.key}`);
  if (!found) return `no such text in ${row.file}: was the key or the file changed?`;
  const mark = row.reviewed.toLowerCase();
  if (mark && !REVIEWED_YES.includes(mark)) {
    return `"${COLUMNS.reviewed.header}" must be "sí" or empty, not "${row.reviewed}"`;
  }
  const typed = row.corrected;
  const correction = cleanCorrection(typed);
  if (typed && !correction)
    return 'the corrected text is empty: leave the cell empty to keep the current text';
  if (CONTROL.test(correction)) return 'the corrected text holds an invisible control character: retype it';
  const text = correction || found.leaf.text;
  // A row that asks for nothing changes nothing: the drafts as they are need no new checks.
  if (!correction && !mark) return { row, ...found, text, textChanged: false, markReviewed: false };
  if (!found.locale.roundTrips) {
    return `${row.file} cannot be rewritten without changing its layout: correct it by hand`;
  }
  const qualified = `${found.leaf.ns}:${found.leaf.key}`;
  const source = ctx.spanish.get(qualified)?.text ?? '';
  if (!samePlaceholders(source, text)) {
    const need = placeholdersOf(source).join(' ') || 'none';
    const has = placeholdersOf(text).join(' ') || 'none';
    return `placeholders must be exactly as in Spanish (${need}); the text has ${has}`;
  }
  const limit = ctx.buttonLimits.get(qualified);
  if (limit !== undefined && labelLength(text) > limit) {
    return `an option that will be a WhatsApp button may have at most ${limit} characters; this one has ${labelLength(text)}`;
  }
  return {
    row,
    ...found,
    text,
    textChanged: text !== found.leaf.text,
    markReviewed: !!mark,
  };
}
