/**
 * npm run content:report [-- --out DIR] [-- --stats [--days N]]
 * Writes DIR/content-report.md and DIR/content-report.html (default DIR: reports/) and prints the
 * totals per language. With --stats, both also get the learners' figures per lesson and question
 * (content-tools/content-stats.ts), read from the app's Redis (REDIS_URL, or REDIS_CLUSTER_NODES,
 * or REDIS_SENTINELS) under REDIS_PREFIX.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildReport, reportHtml, reportMarkdown } from '../content-tools/content-report.js';
import { totalOf } from '../content-tools/course-price.js';
import { contentStats, statsHtml, statsMarkdown } from '../content-tools/content-stats.js';
import { FunnelStore } from '../store/funnel-store.js';
import { loadToolConfig } from '../config.js';
import { connectToolRedis } from './tool-redis.js';
import { LANGUAGES } from '../content/locale-schema.js';
import { guidesMarkdown, readGuides } from '../content-tools/facilitator-guides.js';
import { buildContentRuntime } from '../plugins/content-runtime.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: 'reports' },
    flows: { type: 'string', default: 'flows' },
    locales: { type: 'string', default: 'locales' },
    stats: { type: 'boolean', default: false },
    days: { type: 'string', default: '90' },
  },
});
const runtime = buildContentRuntime({ flowsDir: values.flows, localesDir: values.locales });
const report = buildReport(runtime);
let markdown = reportMarkdown(report);
let html = reportHtml(report);
if (values.stats) {
  const days = Math.min(90, Math.max(1, Number(values.days) || 90));
  const { redis, keys } = await connectToolRedis(loadToolConfig(), 'content:report --stats');
  try {
    const funnel = new FunnelStore(redis, keys);
    const stats = await contentStats(runtime.course, runtime.translator, funnel, Date.now(), days);
    markdown += statsMarkdown(stats, days);
    html = html.replace('</body>', `${statsHtml(stats, days)}</body>`);
  } finally {
    redis.disconnect();
  }
}
mkdirSync(values.out, { recursive: true });
writeFileSync(path.join(values.out, 'content-report.md'), markdown);
writeFileSync(path.join(values.out, 'content-report.html'), html);
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
