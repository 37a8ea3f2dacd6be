/**
 * npm run content:import -- FILE.xlsx --reviewer "Name" [--dry-run]
 * Checks every row of a filled review workbook; with no problem, updates the locale files in place
 * and prints what changed. Any problem is one line `row N (file:key): what is wrong`, and nothing
 * is written (exit code 1).
 */
import { parseArgs } from 'node:util';
import { importReview } from '../content-tools/review/import-review.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    reviewer: { type: 'string', default: '' },
    'dry-run': { type: 'boolean', default: false },
    flows: { type: 'string', default: 'flows' },
    locales: { type: 'string', default: 'locales' },
  },
});
const workbook = positionals[0];
if (!workbook || positionals.length > 1) {
  console.error('Usage: npm run content:import -- FILE.xlsx --reviewer "Name" [--dry-run]');
  process.exit(2);
}
const dryRun = values['dry-run'];
let result;
try {
  result = await importReview({
    place: { root: process.cwd(), flowsDir: values.flows, localesDir: values.locales },
    workbook,
    reviewer: values.reviewer,
    dryRun,
  });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
for (const problem of result.problems) console.log(problem);
if (result.problems.length) {
  console.log(`\n${result.problems.length} problem(s); nothing was written.`);
  process.exit(1);
}
for (const key of result.changed) console.log(`changed: ${key}`);
for (const key of result.newlyReviewed) console.log(`reviewed: ${key}`);
console.log(
  `${dryRun ? 'Dry run, nothing written: would change' : 'Changed'} ${result.changed.length} text(s), ` +
    `${result.newlyReviewed.length} newly reviewed, ${result.unchanged} unchanged` +
    (dryRun
      ? '.'
      : `; wrote ${result.written.length} file(s)${result.written.length ? `: ${result.written.join(', ')}` : ''}.`),
);
