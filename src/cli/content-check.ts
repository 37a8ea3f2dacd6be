/**
 * npm run content:check [-- --flows DIR --locales DIR]
 * Prints every problem as `file: key: what is wrong` and exits 1 if there is any.
 */
import { parseArgs } from 'node:util';
import { runContentCheck } from '../content-tools/content-check.js';
import { LANGUAGES } from '../content/locale-schema.js';
import { describePositions } from '../content-tools/quiz-balance.js';

const { values } = parseArgs({
  options: { flows: { type: 'string', default: 'flows' }, locales: { type: 'string', default: 'locales' } },
});
const result = runContentCheck({ flowsDir: values.flows, localesDir: values.locales });

for (const problem of result.problems) console.log(problem);
if (result.problems.length) {
  console.log(`\n${result.problems.length} problem(s) in the content.`);
  process.exit(1);
}
for (const lang of LANGUAGES) {
  const mine = result.messages.filter((m) => m.lang === lang);
  const max = Math.max(...mine.map((m) => m.segments));
  console.log(
    `${lang}: ${mine.length} messages measured, at most ${max} SMS segment(s), ${mine.filter((m) => m.encoding !== 'GSM-7').length} not in GSM-7, ${result.drafts[lang]} draft text(s)`,
  );
}
console.log(
  `quiz: ${result.positions.total} questions; right answer at option ${describePositions(result.positions)}`,
);
console.log('Content is fine.');
