/**
 * npm run content:export -- --lang ay [--status draft] [--lesson what-is-a-cooperative] [--out FILE]
 * Writes the review workbook of one language: one row per text, for a native speaker to fill, with
 * the learners' CORREGIR suggestions read from the app's Redis (REDIS_URL, or REDIS_CLUSTER_NODES,
 * or REDIS_SENTINELS; REDIS_PREFIX); `--offline` skips them.
 */
import { parseArgs } from 'node:util';
import { buildReviewRows } from '../i18n/review/review-rows.js';
import { writeWorkbook } from '../i18n/review/review-workbook.js';
import { readStoredSuggestions } from '../content-tools/review/stored-suggestions.js';
import { REVIEW_LANGUAGES, isReviewLanguage } from '../i18n/review/review-languages.js';
import { loadToolConfig } from '../config.js';
import { describeTarget, redisTargetOf } from '../store/redis-client.js';
import { redisUrlForLog } from '../store/redis-health.js';

const { values } = parseArgs({
  options: {
    lang: { type: 'string' },
    status: { type: 'string' },
    lesson: { type: 'string' },
    out: { type: 'string' },
    flows: { type: 'string', default: 'flows' },
    locales: { type: 'string', default: 'locales' },
    offline: { type: 'boolean', default: false },
  },
});
const lang = values.lang ?? '';
if (!isReviewLanguage(lang)) {
  console.error(
    `--lang must be one of ${REVIEW_LANGUAGES.join(', ')} (Spanish is the source and is not reviewed here)`,
  );
  process.exit(2);
}
if (values.status && values.status !== 'draft' && values.status !== 'reviewed') {
  console.error('--status must be draft or reviewed');
  process.exit(2);
}
const place = { root: process.cwd(), flowsDir: values.flows, localesDir: values.locales };
const config = loadToolConfig();
const target = redisTargetOf(config);
const suggestions = values.offline ? null : await readStoredSuggestions(lang, target, config.REDIS_PREFIX);
if (!values.offline && !suggestions)
  console.warn(
    `Redis at ${describeTarget(target, redisUrlForLog)} did not answer: no learners' suggestions in the workbook.`,
  );
const rows = buildReviewRows(
  place,
  { lang, status: values.status, lesson: values.lesson },
  suggestions ?? new Map(),
);
if (!rows.length) {
  console.error('No text matches: check --lesson and --status.');
  process.exit(1);
}
const out =
  values.out ??
  `translations-${lang}${values.lesson ? `-${values.lesson}` : ''}${values.status ? `-${values.status}` : ''}.xlsx`;
await writeWorkbook(out, lang, rows);
console.log(
  `Wrote ${out}: ${rows.length} text(s) in ${lang}, ${rows.filter((r) => r.status === 'draft').length} in draft.`,
);
