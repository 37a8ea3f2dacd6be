// The content check against a small course broken on purpose, one way at a time: each problem
// must be caught and named as `file: key: what is wrong`.
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { runContentCheck } from '../../src/content/content-check.js';

const LANGS = ['es', 'ay', 'qu'] as const;
let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Mutable = Record<string, unknown>;

function lesson(): Mutable {
  return {
    id: 'mini',
    version: 1,
    kind: 'lesson',
    title: 'title',
    steps: [
      { id: 'one', type: 'message', text: 'one' },
      { id: 'two', type: 'message', text: 'two' },
      {
        id: 'q1',
        type: 'question',
        text: 'q1.text',
        options: ['q1.a', 'q1.b'],
        answer: 2,
        explanation: 'q1.why',
        hint: 'q1.hint',
      },
    ],
  };
}

function texts(lang: string): Mutable {
  const plain = {
    title: 'Mini',
    one: 'Uno.',
    two: 'Dos.',
    q1: { text: '¿Sí?', a: 'No', b: 'Sí', why: 'Porque sí.', hint: 'Piensa.' },
  };
  if (lang === 'es') return plain;
  const wrap = (value: unknown): unknown =>
    typeof value === 'string'
      ? { text: value, status: 'draft', reviewer: null }
      : Object.fromEntries(Object.entries(value as Mutable).map(([k, v]) => [k, wrap(v)]));
  return wrap(plain) as Mutable;
}

/** Writes a small course (one lesson, one assessment) beside the real common texts and words. */
function course(change: (parts: { lesson: Mutable; texts: Record<string, Mutable> }) => void = () => {}) {
  dir = mkdtempSync(path.join(tmpdir(), 'ayni-check-'));
  const parts = { lesson: lesson(), texts: Object.fromEntries(LANGS.map((l) => [l, texts(l)])) };
  change(parts);
  mkdirSync(path.join(dir, 'flows/lessons'), { recursive: true });
  writeFileSync(path.join(dir, 'flows/lessons/mini.yaml'), stringify(parts.lesson));
  writeFileSync(
    path.join(dir, 'flows/check.yaml'),
    stringify({
      id: 'check',
      version: 1,
      kind: 'assessment',
      title: 'title',
      areas: [{ id: 'need', label: 'need', advice: 'advice' }],
      steps: [
        {
          id: 'c1',
          type: 'rating',
          area: 'need',
          text: 'c1',
          options: [
            { text: 'common:scale.yes', points: 2 },
            { text: 'common:scale.partly', points: 1 },
            { text: 'common:scale.no', points: 0 },
          ],
        },
      ],
    }),
  );
  writeFileSync(
    path.join(dir, 'flows/course.yaml'),
    stringify({
      version: 1,
      sections: [
        { id: 'think-coop', title: 'common:sections.think_coop', lessons: ['mini'] },
        { id: 'start-coop', title: 'common:sections.start_coop', lessons: ['check'] },
      ],
      assessment: 'check',
      completion: 'think-coop',
    }),
  );
  for (const lang of LANGS) {
    mkdirSync(path.join(dir, 'locales', lang), { recursive: true });
    for (const file of ['common.yaml', 'words.yaml'])
      cpSync(path.join('locales', lang, file), path.join(dir, 'locales', lang, file));
    writeFileSync(path.join(dir, 'locales', lang, 'mini.yaml'), stringify(parts.texts[lang]));
    const check = { title: 'Test', c1: '¿Listos?', need: 'Necesidad', advice: 'Conversen.' };
    writeFileSync(
      path.join(dir, 'locales', lang, 'check.yaml'),
      stringify(
        lang === 'es'
          ? check
          : Object.fromEntries(Object.entries(check).map(([k, v]) => [k, { text: v, status: 'draft' }])),
      ),
    );
  }
  return runContentCheck({ flowsDir: path.join(dir, 'flows'), localesDir: path.join(dir, 'locales') }, dir);
}

describe('npm run content:check', () => {
  it('passes a sound course', () => {
    expect(course().problems).toEqual([]);
  });

  it('names a text missing in one language', () => {
    const { problems } = course(({ texts }) => {
      delete (texts.ay!.q1 as Mutable).hint;
    });
    expect(problems).toContain(
      'flows/lessons/mini.yaml: steps.2(q1).hint: text mini:q1.hint is missing in locales/ay',
    );
  });

  it('names a text that no flow uses', () => {
    const { problems } = course(({ texts }) => {
      texts.es!.forgotten = 'Nadie me usa.';
    });
    expect(problems).toContain('locales/es/mini.yaml: forgotten: no flow uses this text');
  });

  it('names a step that no step leads to', () => {
    const { problems } = course(({ lesson }) => {
      (lesson.steps as Mutable[])[0]!.next = 'q1';
    });
    expect(problems).toContain(
      'flows/lessons/mini.yaml: steps.1(two): no step leads here: a learner can never reach it',
    );
  });

  it('names a lesson that cannot be finished', () => {
    const { problems } = course(({ lesson }) => {
      (lesson.steps as Mutable[])[2]!.next = 'one';
    });
    expect(problems).toContain(
      'flows/lessons/mini.yaml: steps: the flow cannot be finished: its steps lead round in a circle',
    );
  });

  it('names a next that is not a step', () => {
    const { problems } = course(({ lesson }) => {
      (lesson.steps as Mutable[])[0]!.next = 'nowhere';
    });
    expect(problems).toContain(
      'flows/lessons/mini.yaml: steps.0(one).next: nowhere is not a step of this flow',
    );
  });

  it('names an answer that points at no option', () => {
    const { problems } = course(({ lesson }) => {
      (lesson.steps as Mutable[])[2]!.answer = 7;
    });
    expect(problems).toContain(
      'flows/lessons/mini.yaml: steps.2.answer: answer must be the number of one of the options',
    );
  });

  it('names a message over its SMS budget, with the count', () => {
    const { problems } = course(({ texts }) => {
      texts.es!.two = 'Una cooperativa es de sus socios. '.repeat(5).trim();
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^flows\/lessons\/mini\.yaml: mini:two \(es\): 2 SMS segments, budget 1 \(GSM-7, \d+ characters as sent\)$/,
      ),
    ]);
  });

  it('names a draft without a review status and a reviewed text without a reviewer', () => {
    const { problems } = course(({ texts }) => {
      texts.qu!.one = 'Huk.';
      texts.ay!.two = { text: 'Paya.', status: 'reviewed' };
    });
    expect(problems).toContain(
      'locales/qu/mini.yaml: one: needs {text, status} so its review status is known',
    );
    expect(problems).toContain('locales/ay/mini.yaml: two.reviewer: a reviewed text must name its reviewer');
  });

  it('exits non-zero from the command line and prints each problem on its own line', async () => {
    course(({ texts }) => {
      delete texts.qu!.title;
    });
    const run = promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/cli/content-check.ts',
        '--flows',
        path.join(dir, 'flows'),
        '--locales',
        path.join(dir, 'locales'),
      ],
      { cwd: process.cwd() },
    );
    await expect(run).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('text mini:title is missing in locales/qu'),
    });
  });
});
