/**
 * npm run content:report [-- --out DIR]
 * Writes DIR/content-report.md and DIR/content-report.html (default DIR: reports/) and prints the
 * totals per language.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildReport, reportHtml, reportMarkdown } from '../content-tools/content-report.js';
import { totalOf } from '../content-tools/course-price.js';
import { LANGUAGES } from '../content/locale-schema.js';
import { guidesMarkdown, readGuides } from '../content-tools/facilitator-guides.js';
import { buildContentRuntime } from '../plugins/content-runtime.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'reports' },
    flows: { type: 'string', default: 'flows' },
    locales: { type: 'string', default: 'locales' },
  },
});
const runtime = buildContentRuntime({ flowsDir: values.flows, localesDir: values.locales });
const report = buildReport(runtime);
mkdirSync(values.out, { recursive: true });
writeFileSync(path.join(values.out, 'content-report.md'), reportMarkdown(report));
writeFileSync(path.join(values.out, 'content-report.html'), reportHtml(report));
for (const lang of LANGUAGES) {
  const t = report.totals[lang];
  console.log(
    `${lang}: ${t.lessons} lessons, ${t.messages} messages, ${t.segments} SMS segments for the whole course, ${t.drafts} texts in draft, ${t.reviewed} reviewed`,
  );
}
for (const row of report.price.totals) {
  const cost = row.channel === 'sms' ? `${row.segments} SMS segments` : `${row.sent} bubbles`;
  console.log(
    `course price, ${row.lang} on ${row.channel}: Ayni sends ${row.sent} messages (${cost}), the learner sends ${row.learner} (${row.goOn} only to go on); total ${totalOf(row)}`,
  );
}
const lessons = runtime.course.sections.flatMap((s) =>
  s.flows.map((f) => ({ id: f.id, title: runtime.translator.t('es', `${f.id}:${f.title}`) })),
);
writeFileSync(
  path.join(values.out, 'facilitator-guides.md'),
  guidesMarkdown(readGuides(values.locales).guides, lessons),
);
console.log(
  `Wrote ${path.join(values.out, 'content-report.md')}, content-report.html and facilitator-guides.md`,
);
