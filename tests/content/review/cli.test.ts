// The two commands as a trainer runs them: content:export reads the learners' suggestions from
// Redis (a throwaway one here, under the test's prefix); content:import prints one line per
// problem and exits 1, or a summary and exits 0.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keyspace } from '../../../src/store/keyspace.js';
import { SuggestionStore } from '../../../src/store/suggestion-store.js';
import { useTestRedis } from '../../support/test-redis.js';
import { copyCourse, fillWorkbook, textsOf } from './helpers.js';

const run = promisify(execFile);
const TSX = path.resolve('node_modules/.bin/tsx');
const cli = (name: string) => path.resolve(`src/cli/${name}.ts`);
const { url, prefix, redis } = useTestRedis();

let place: ReturnType<typeof copyCourse>;
beforeEach(() => {
  place = copyCourse();
});
afterEach(() => place.cleanup());

async function command(name: string, args: string[]) {
  const env = { ...process.env, REDIS_URL: url, REDIS_PREFIX: prefix };
  try {
    const { stdout, stderr } = await run(TSX, [cli(name), ...args], { cwd: place.root, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run content:export and content:import', () => {
  it('exports a lesson with the learners’ suggestions from Redis, most suggested first', async () => {
    const store = new SuggestionStore(redis, new Keyspace(prefix));
    const at = { lang: 'ay', textKey: 'what-is-a-cooperative:intro', day: '2026-03-02' };
    await store.record('learner-a', { ...at, text: 'Cooperativax empresawa' });
    await store.record('learner-b', { ...at, text: 'Mä empresawa' });
    await store.record('learner-c', { ...at, text: 'Mä empresawa' });

    const out = await command('content-export', [
      '--lang',
      'ay',
      '--lesson',
      'what-is-a-cooperative',
      '--out',
      'l.xlsx',
    ]);
    // every text of the lesson, all still drafts in Aymara
    const texts = textsOf(place, 'ay', 'what-is-a-cooperative');
    expect(out).toMatchObject({
      code: 0,
      stdout: `Wrote l.xlsx: ${texts} text(s) in ay, ${texts} in draft.\n`,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(place.root, 'l.xlsx'));
    const intro = workbook
      .getWorksheet('ay')!
      .getRows(2, texts)!
      .find((r) => r.getCell(2).value === 'intro')!;
    expect(intro.getCell(10).value).toBe('2× Mä empresawa\n1× Cooperativax empresawa');
  });

  it('refuses a language that is not reviewed', async () => {
    const out = await command('content-export', ['--lang', 'es', '--offline']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--lang must be one of ay, qu');
  });

  // Three child processes (tsx compiles each): more time than an in-process test needs.
  it('prints each problem as `row N (file:key): what is wrong` and exits 1; a sound import, its summary', async () => {
    await command('content-export', [
      '--lang',
      'qu',
      '--lesson',
      'what-is-a-cooperative',
      '--out',
      'q.xlsx',
      '--offline',
    ]);
    const file = 'locales/qu/what-is-a-cooperative.yaml';
    const bad = await fillWorkbook(path.join(place.root, 'q.xlsx'), [
      { key: 'intro', corrected: ' ' },
      { key: 'ayni', reviewed: 'tal vez' },
    ]);
    const refused = await command('content-import', [bad.out, '--reviewer', 'Rosa Quispe']);
    expect(refused.code).toBe(1);
    expect(refused.stdout.split('\n')).toEqual([
      `row ${bad.rows.get('intro')} (${file}:intro): the corrected text is empty: leave the cell empty to keep the current text`,
      `row ${bad.rows.get('ayni')} (${file}:ayni): "Revisado (sí)" must be "sí" or empty, not "tal vez"`,
      '',
      '2 problem(s); nothing was written.',
      '',
    ]);

    const good = await fillWorkbook(path.join(place.root, 'q.xlsx'), [{ key: 'ayni', reviewed: 'sí' }]);
    const done = await command('content-import', [good.out, '--reviewer', 'Rosa Quispe']);
    const unchanged = textsOf(place, 'qu', 'what-is-a-cooperative') - 1;
    expect(done.stdout).toContain(
      `reviewed: ${file}:ayni\nChanged 0 text(s), 1 newly reviewed, ${unchanged} unchanged; wrote 1 file(s): ${file}.`,
    );
  }, 90_000);
});
