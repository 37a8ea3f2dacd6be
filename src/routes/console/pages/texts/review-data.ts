/**
 * What the Textos page shows: the texts of one language from the content files (the running
 * content; nothing here changes it), with the learners' suggestions and the reviewers' saved
 * proposals beside each, and how many are reviewed per lesson.
 */
import type { Language } from '../../../../content/locale-schema.js';
import { buildReviewRows, type ReviewRow } from '../../../../i18n/review/review-rows.js';
import { REVIEW_LANGUAGES } from '../../../../i18n/review/review-languages.js';
import type { Proposal } from '../../../../store/proposal-store.js';
import type { Viewer } from '../../auth.js';
import type { ConsoleContext } from '../../context.js';

export interface TextRow extends ReviewRow {
  /** `namespace:key` */
  id: string;
  proposal: Proposal | null;
  /** reviewed in the content files, or marked reviewed in a saved proposal */
  done: boolean;
}

export interface LessonProgress {
  ns: string;
  title: string;
  reviewed: number;
  total: number;
}

/** The languages a viewer may review: an administrator all, a reviewer theirs, nobody else any. */
export function languagesOf(viewer: Viewer): Language[] {
  if (viewer.role === 'admin') return [...REVIEW_LANGUAGES];
  if (viewer.role === 'reviewer') return REVIEW_LANGUAGES.filter((l) => viewer.languages.includes(l));
  return [];
}

/**
 * The texts as the files hold them, read once per language: the app serves the content it
 * loaded at start, and reading and measuring 446 texts takes a good part of a second.
 */
const filed = new WeakMap<ConsoleContext['review'], Map<Language, ReviewRow[]>>();

function filedRows(review: ConsoleContext['review'], lang: Language): ReviewRow[] {
  const byLang = filed.get(review) ?? new Map<Language, ReviewRow[]>();
  filed.set(review, byLang);
  const rows = byLang.get(lang) ?? buildReviewRows(review.place, { lang });
  byLang.set(lang, rows);
  return rows;
}

export async function textRows(context: ConsoleContext, lang: Language): Promise<TextRow[]> {
  const { proposals, suggestions } = context.review;
  const [saved, suggested] = await Promise.all([proposals.forLanguage(lang), suggestions.forLanguage(lang)]);
  return filedRows(context.review, lang).map((row) => {
    const id = `${row.ns}:${row.key}`;
    const proposal = saved.get(id) ?? null;
    const done = row.status === 'reviewed' || !!proposal?.reviewed;
    return { ...row, id, proposal, done, suggestions: suggested.get(id) ?? [] };
  });
}

export function progressByLesson(context: ConsoleContext, rows: readonly TextRow[]): LessonProgress[] {
  const byNs = new Map<string, LessonProgress>();
  for (const row of rows) {
    const entry = byNs.get(row.ns) ?? { ns: row.ns, title: titleOf(context, row.ns), reviewed: 0, total: 0 };
    entry.total++;
    if (row.done) entry.reviewed++;
    byNs.set(row.ns, entry);
  }
  return [...byNs.values()];
}

function titleOf(context: ConsoleContext, ns: string): string {
  if (ns === 'common') return 'Textos comunes (menú, ayuda, avisos)';
  const title = context.content.translator.t('es', `${ns}:title`);
  return title && title !== `${ns}:title` && title !== 'title' ? title : ns;
}

/** The rows as the import workbook wants them: a saved correction and mark filled in. */
export function withProposals(rows: readonly TextRow[]): ReviewRow[] {
  return rows.map((row) => ({
    ...row,
    corrected: row.proposal && row.proposal.text !== row.text ? row.proposal.text : '',
    reviewed: row.proposal?.reviewed ?? false,
  }));
}
