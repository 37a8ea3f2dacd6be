/**
 * The content report trainers and reviewers read: per lesson and language, how many messages a
 * learner receives on the way through, what they cost on SMS (segments, encoding), how long they
 * are on WhatsApp, and how many texts are still drafts; then the whole course per language.
 * "On the way through" means every step, plus the feedback to right answers and the closing
 * message: the path of a learner who answers right the first time. Then what the whole course
 * costs per language and channel (course-price.ts, price-report.ts).
 */
import type { Language } from '../content/locale-schema.js';
import { LANGUAGES } from '../content/locale-schema.js';
import type { ContentRuntime } from '../plugins/content-runtime.js';
import { coursePrice, type CoursePrice } from './course-price.js';
import { priceHtml, priceMarkdown } from './price-report.js';
import { measureMessages, type MeasuredMessage } from './sms-budget.js';

export interface LessonRow {
  flow: string;
  title: string;
  section: string;
  lang: Language;
  messages: number;
  segments: number;
  encodings: string[];
  whatsappChars: number;
  drafts: number;
  reviewed: number;
}

export interface ContentReport {
  rows: LessonRow[];
  totals: Record<
    Language,
    { lessons: number; messages: number; segments: number; drafts: number; reviewed: number }
  >;
  price: CoursePrice;
  /** a price row's part (a flow id or START) as the report names it */
  titleOf: (part: string, lang: Language) => string;
}

const ON_THE_WAY: MeasuredMessage['kind'][] = ['step', 'right', 'lessonDone'];

export function buildReport(runtime: ContentRuntime): ContentReport {
  const measured = measureMessages(runtime);
  const rows: LessonRow[] = [];
  for (const section of runtime.course.sections) {
    for (const flow of section.flows) {
      for (const lang of LANGUAGES) {
        const mine = measured.filter(
          (m) => m.flow === flow.id && m.lang === lang && ON_THE_WAY.includes(m.kind),
        );
        const texts = [...runtime.content.locales[lang].entries()].filter(([key]) =>
          key.startsWith(`${flow.id}:`),
        );
        rows.push({
          flow: flow.id,
          title: runtime.translator.t(lang, `${flow.id}:${flow.title}`),
          section: section.id,
          lang,
          messages: mine.length,
          segments: mine.reduce((n, m) => n + m.segments, 0),
          encodings: [...new Set(mine.map((m) => m.encoding))],
          whatsappChars: mine.reduce((n, m) => n + m.whatsappChars, 0),
          drafts: lang === 'es' ? 0 : texts.filter(([, e]) => e.status === 'draft').length,
          reviewed: lang === 'es' ? texts.length : texts.filter(([, e]) => e.status === 'reviewed').length,
        });
      }
    }
  }
  const totals = Object.fromEntries(
    LANGUAGES.map((lang) => {
      const mine = rows.filter((r) => r.lang === lang);
      const all = [...runtime.content.locales[lang].values()];
      return [
        lang,
        {
          lessons: mine.length,
          messages: mine.reduce((n, r) => n + r.messages, 0),
          segments: mine.reduce((n, r) => n + r.segments, 0),
          drafts: lang === 'es' ? 0 : all.filter((e) => e.status === 'draft').length,
          reviewed: lang === 'es' ? all.length : all.filter((e) => e.status === 'reviewed').length,
        },
      ];
    }),
  ) as ContentReport['totals'];
  const titleOf = (part: string, lang: Language) => {
    const flow = runtime.course.flow(part);
    return flow ? `${runtime.translator.t(lang, `${flow.id}:${flow.title}`)} (${flow.id})` : part;
  };
  return { rows, totals, price: coursePrice(runtime), titleOf };
}

const LANGUAGE_NAMES: Record<Language, string> = { es: 'Español', ay: 'Aymar aru', qu: 'Runa simi' };

export function reportMarkdown(report: ContentReport): string {
  const lines = [
    '# Ayni content report',
    '',
    'Per lesson and language: messages a learner receives answering right the first time, their cost on SMS',
    '(segments, encoding, after the SMS spelling policy), their length on WhatsApp, and the review status of',
    'the lesson’s texts. Spanish is the source language.',
    '',
    '## Totals per language',
    '',
    '| language | lessons | messages | SMS segments | texts in draft | texts reviewed |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...LANGUAGES.map((lang) => {
      const t = report.totals[lang];
      return `| ${LANGUAGE_NAMES[lang]} (${lang}) | ${t.lessons} | ${t.messages} | ${t.segments} | ${t.drafts} | ${t.reviewed} |`;
    }),
    '',
    '## Per lesson',
    '',
    '| section | lesson | language | messages | SMS segments | encoding | WhatsApp characters | draft | reviewed |',
    '| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: |',
    ...report.rows.map(
      (r) =>
        `| ${r.section} | ${r.title.replace(/\|/g, '\\|')} (${r.flow}) | ${r.lang} | ${r.messages} | ${r.segments} | ${r.encodings.join(', ')} | ${r.whatsappChars} | ${r.drafts} | ${r.reviewed} |`,
    ),
    '',
    priceMarkdown(report.price, report.titleOf),
  ];
  return lines.join('\n');
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

export function reportHtml(report: ContentReport): string {
  const cell = (value: string | number, numeric = false) =>
    `<td${numeric ? ' class="n"' : ''}>${escapeHtml(String(value))}</td>`;
  const totals = LANGUAGES.map((lang) => {
    const t = report.totals[lang];
    return `<tr>${cell(`${LANGUAGE_NAMES[lang]} (${lang})`)}${cell(t.lessons, true)}${cell(t.messages, true)}${cell(t.segments, true)}${cell(t.drafts, true)}${cell(t.reviewed, true)}</tr>`;
  }).join('\n');
  const rows = report.rows
    .map(
      (r) =>
        `<tr${r.drafts ? ' class="draft"' : ''}>${cell(r.section)}${cell(`${r.title} (${r.flow})`)}${cell(r.lang)}${cell(r.messages, true)}${cell(r.segments, true)}${cell(r.encodings.join(', '))}${cell(r.whatsappChars, true)}${cell(r.drafts, true)}${cell(r.reviewed, true)}</tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ayni content report</title>
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 1rem; color: #1a1a1a; }
table { border-collapse: collapse; margin-bottom: 2rem; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.draft td:nth-last-child(2) { background: #fff3cd; }
</style>
</head>
<body>
<h1>Ayni content report</h1>
<p>Per lesson and language: messages a learner receives answering right the first time, their cost on SMS (segments, encoding, after the SMS spelling policy), their length on WhatsApp, and the review status of the lesson’s texts. Highlighted: lessons with texts still in draft.</p>
<h2>Totals per language</h2>
<table>
<thead><tr><th>language</th><th>lessons</th><th>messages</th><th>SMS segments</th><th>texts in draft</th><th>texts reviewed</th></tr></thead>
<tbody>
${totals}
</tbody>
</table>
<h2>Per lesson</h2>
<table>
<thead><tr><th>section</th><th>lesson</th><th>language</th><th>messages</th><th>SMS segments</th><th>encoding</th><th>WhatsApp characters</th><th>draft</th><th>reviewed</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${priceHtml(report.price, report.titleOf, escapeHtml)}
</body>
</html>
`;
}
