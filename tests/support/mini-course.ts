// A small course (one lesson, one assessment) beside the real common texts and words, written to
// a temporary folder so a test can break it on purpose. Its assessment also serves tests that
// build a course in memory.
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { AssessmentFlow } from '../../src/content/flow-schema.js';

const LANGS = ['es', 'ay', 'qu'] as const;
export type Mutable = Record<string, unknown>;

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

/** The assessment `check`: one rating question in one area. */
export function checkAssessment(): AssessmentFlow {
  return {
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
  };
}

/** Writes the course to a new temporary folder and returns its folders. */
export function writeMiniCourse(
  change: (parts: { lesson: Mutable; texts: Record<string, Mutable> }) => void = () => {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ayni-check-'));
  const parts = { lesson: lesson(), texts: Object.fromEntries(LANGS.map((l) => [l, texts(l)])) };
  change(parts);
  mkdirSync(path.join(dir, 'flows/lessons'), { recursive: true });
  mkdirSync(path.join(dir, 'flows/media'), { recursive: true });
  cpSync('flows/media/certificate.svg', path.join(dir, 'flows/media/certificate.svg'));
  writeFileSync(path.join(dir, 'flows/lessons/mini.yaml'), stringify(parts.lesson));
  writeFileSync(path.join(dir, 'flows/check.yaml'), stringify(checkAssessment()));
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
  mkdirSync(path.join(dir, 'locales'), { recursive: true });
  cpSync('locales/quechua-spelling.yaml', path.join(dir, 'locales/quechua-spelling.yaml'));
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
  return { dir, flowsDir: path.join(dir, 'flows'), localesDir: path.join(dir, 'locales') };
}
