// The content check against a small course broken on purpose, one way at a time: each problem
// must be caught and named as `file: key: what is wrong`.
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content-tools/content-check.js';
import { writeMiniCourse, type Mutable } from '../support/mini-course.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function course(change?: Parameters<typeof writeMiniCourse>[0]) {
  const written = writeMiniCourse(change);
  dir = written.dir;
  return runContentCheck(written, dir);
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

  it('names a WhatsApp label over its limit, in the language that breaks it', () => {
    const { problems } = course(({ texts }) => {
      texts.qu!.title = { text: 'Juk sinchi jatun sutiyuq yachay', status: 'draft', reviewer: null };
    });
    expect(problems).toEqual([
      'locales/qu/mini.yaml: title: "Juk sinchi jatun sutiyuq yachay" is too long for WhatsApp: ' +
        '31 characters; WhatsApp allows at most 24 in a list item ' +
        '(flows/lessons/mini.yaml shows it in lists as its title; give the flow a shorter `label:`)',
    ]);
  });

  it('takes a short label for a long title, and holds the label to the limit', () => {
    const long = 'Nuestra cooperativa de hoy'; // 26 characters
    const passes = course(({ lesson, texts }) => {
      lesson.label = 'label';
      for (const lang of ['es', 'ay', 'qu']) {
        texts[lang]!.title = lang === 'es' ? long : { text: long, status: 'draft' };
        texts[lang]!.label = lang === 'es' ? 'Corto' : { text: 'Corto', status: 'draft' };
      }
    });
    // (a title this long overflows the mini course's SMS budget, which is not what is tested here)
    expect(passes.problems.filter((p) => p.includes('WhatsApp'))).toEqual([]);
    const { problems } = course(({ lesson, texts }) => {
      lesson.label = 'label';
      for (const lang of ['es', 'ay', 'qu'])
        texts[lang]!.label = lang === 'es' ? 'Corto' : { text: 'Corto', status: 'draft' };
      texts.es!.label = 'Veinticinco letras exacta';
    });
    expect(problems).toEqual([
      'locales/es/mini.yaml: label: "Veinticinco letras exacta" is too long for WhatsApp: 25 characters; ' +
        'WhatsApp allows at most 24 in a list item (flows/lessons/mini.yaml shows it in lists as its label)',
    ]);
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

  it('reports where the right answers sit and fails when one position holds more than 45%', () => {
    const tenQuestions = (answer: (i: number) => number) => (parts: { lesson: Mutable }) => {
      const steps = parts.lesson.steps as Mutable[];
      const q1 = steps[2] as Mutable;
      steps.splice(2, 1);
      const options = ['q1.a', 'q1.b', 'q1.hint'];
      for (let i = 0; i < 10; i++) steps.push({ ...q1, id: `q${i}`, options, answer: answer(i) });
    };
    const balanced = course(tenQuestions((i) => (i % 3) + 1));
    expect(balanced.positions).toEqual({ counts: { 1: 4, 2: 3, 3: 3 }, total: 10 });
    expect(balanced.problems).toEqual([]);

    const lopsided = course(tenQuestions((i) => (i < 5 ? 2 : (i % 2) + 1)));
    expect(lopsided.problems).toEqual([
      'flows/lessons: answer position 2: the right answer is option 2 in 8 of 10 questions, more than 45% (1: 2 (20%), 2: 8 (80%)); move some answers to other positions',
    ]);
  });

  it('names a Quechua word that breaks the spelling convention (j, not h), but not a Spanish loan', () => {
    const { problems } = course(({ texts }) => {
      texts.qu!.one = { text: 'Huk runa, {{hint}} horizontal.', status: 'draft', reviewer: null };
    });
    expect(problems).toEqual([
      'locales/qu/mini.yaml: one: "Huk" breaks the Quechua spelling convention: write j, not h ("juk"); a Spanish loan goes in locales/quechua-spelling.yaml',
    ]);
  });

  it('does not let a spelling slip hide a message over its SMS budget', () => {
    const { problems } = course(({ texts }) => {
      texts.qu!.one = { text: 'Huk runa, {{hint}}.', status: 'draft', reviewer: null };
      texts.es!.two = 'Una cooperativa es de sus socios. '.repeat(5).trim();
    });
    expect(problems).toEqual([
      expect.stringMatching(/^locales\/qu\/mini\.yaml: one: "Huk" breaks the Quechua spelling convention/),
      expect.stringMatching(/^flows\/lessons\/mini\.yaml: mini:two \(es\): 2 SMS segments, budget 1/),
    ]);
  });

  it('names a lesson without a facilitator guide and a guide for no lesson', () => {
    const written = writeMiniCourse();
    dir = written.dir;
    const guide = '{ goal: Saber, minutes: 20, activity: Decidir juntos, listen: Dudas }';
    writeFileSync(path.join(dir, 'locales/facilitator-guides.yaml'), `mini: ${guide}\nother: ${guide}\n`);
    expect(runContentCheck(written, dir).problems).toEqual([
      'locales/facilitator-guides.yaml: check: this lesson has no facilitator guide',
      'locales/facilitator-guides.yaml: other: no lesson has this id',
    ]);
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
