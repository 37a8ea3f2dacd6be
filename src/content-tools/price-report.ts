/**
 * The course price (course-price.ts) as the content report's tables: the whole course per
 * language and channel, then each lesson. Markdown rows and HTML rows from the same cells.
 */
import type { Language } from '../content/locale-schema.js';
import { totalOf, type CoursePrice, type PriceRow } from './course-price.js';

const HEAD = [
  'lesson',
  'language',
  'channel',
  'messages Ayni sends',
  'SMS segments',
  'segments per message',
  'in one segment',
  'learner messages',
  'of which "1" to go on',
  'total',
];

export const PRICE_INTRO =
  'A learner who walks the whole course on the happy path (every question right at the first try), from first ' +
  'contact. On SMS the organisation pays per segment sent and the learner per message sent back, so the total ' +
  'is segments plus learner messages; on WhatsApp (free inside the 24-hour window) it is messages sent plus ' +
  'learner messages. "start" is first contact, the language and the menus.';

function cells(row: PriceRow, titleOf: (part: string, lang: Language) => string): string[] {
  const sms = row.channel === 'sms' && row.sent > 0;
  return [
    titleOf(row.part, row.lang),
    row.lang,
    row.channel,
    String(row.sent),
    sms ? String(row.segments) : '-',
    sms ? (row.segments / row.sent).toFixed(2) : '-',
    sms ? `${Math.round((100 * row.oneSegment) / row.sent)}%` : '-',
    String(row.learner),
    String(row.goOn),
    String(totalOf(row)),
  ];
}

const NUMERIC_FROM = 3;

export function priceMarkdown(price: CoursePrice, titleOf: (part: string, lang: Language) => string): string {
  const table = (rows: PriceRow[]) => [
    `| ${HEAD.join(' | ')} |`,
    `| ${HEAD.map((_, i) => (i < NUMERIC_FROM ? '---' : '---:')).join(' | ')} |`,
    ...rows.map(
      (row) =>
        `| ${cells(row, titleOf)
          .map((c) => c.replace(/\|/g, '\\|'))
          .join(' | ')} |`,
    ),
  ];
  return [
    '## The price of the course',
    '',
    PRICE_INTRO,
    '',
    ...table(price.totals),
    '',
    '### Per lesson',
    '',
    ...table(price.rows),
    '',
  ].join('\n');
}

export function priceHtml(
  price: CoursePrice,
  titleOf: (part: string, lang: Language) => string,
  escape: (text: string) => string,
): string {
  const table = (rows: PriceRow[]) =>
    [
      '<table>',
      `<thead><tr>${HEAD.map((h) => `<th>${escape(h)}</th>`).join('')}</tr></thead>`,
      '<tbody>',
      ...rows.map(
        (row) =>
          `<tr>${cells(row, titleOf)
            .map((c, i) => `<td${i >= NUMERIC_FROM ? ' class="n"' : ''}>${escape(c)}</td>`)
            .join('')}</tr>`,
      ),
      '</tbody>',
      '</table>',
    ].join('\n');
  return [
    '<h2>The price of the course</h2>',
    `<p>${escape(PRICE_INTRO)}</p>`,
    table(price.totals),
    '<h3>Per lesson</h3>',
    table(price.rows),
  ].join('\n');
}
