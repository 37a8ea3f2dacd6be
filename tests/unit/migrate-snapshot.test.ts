// A content deploy changes a flow under learners who are in the middle of it.
import { describe, expect, it } from 'vitest';
import type { LessonFlow } from '../../src/content/flow-schema.js';
import type { LoadedContent } from '../../src/content/load-content.js';
import { buildCourse } from '../../src/flows/course.js';
import { initialContext, type LearnerContext } from '../../src/flows/learner-context.js';
import { migrateSnapshot } from '../../src/flows/migrate-snapshot.js';
import { checkAssessment } from '../support/mini-course.js';

const message = (id: string) => ({ id, type: 'message' as const, text: id });

function course(lesson: LessonFlow) {
  const assessment = checkAssessment();
  const content = {
    course: {
      version: 1,
      pageSize: 4,
      sections: [{ id: 's', title: 't', lessons: [lesson.id] }],
      assessment: 'check',
    },
    flows: new Map([
      [lesson.id, { flow: lesson, file: 'lesson.yaml' }],
      ['check', { flow: assessment, file: 'check.yaml' }],
    ]),
  } as unknown as LoadedContent;
  return buildCourse(content);
}

const v2: LessonFlow = {
  id: 'intro',
  version: 2,
  kind: 'lesson',
  title: 'title',
  formerSteps: { 'old-name': 'renamed' },
  steps: [message('a'), message('renamed'), message('c'), message('d')],
};

function inLesson(step: string, index: number): { value: unknown; context: LearnerContext } {
  return {
    value: { flow: { intro: step } },
    context: {
      ...initialContext(),
      lang: 'qu',
      marks: { intro: { s: step, i: index, r: 1 } },
      done: { other: [1, 2] },
    },
  };
}

describe('migrating a saved snapshot to the current course', () => {
  it('leaves a learner on a step that still exists where they are', () => {
    const result = migrateSnapshot(inLesson('c', 2), course(v2));
    expect(result.notice).toBeNull();
    expect(result.snapshot.value).toEqual({ flow: { intro: 'c' } });
  });

  it('follows formerSteps for a renamed step', () => {
    const result = migrateSnapshot(inLesson('old-name', 1), course(v2));
    expect(result.notice).toBe('flow_changed');
    expect(result.snapshot.value).toEqual({ flow: { intro: 'renamed' } });
    expect(result.snapshot.context.marks.intro).toEqual({ s: 'renamed', i: 1, r: 1 });
  });

  it('resumes a removed step at the step now in its place', () => {
    const result = migrateSnapshot(inLesson('gone', 2), course(v2));
    expect(result.notice).toBe('flow_changed');
    expect(result.snapshot.value).toEqual({ flow: { intro: 'c' } });
  });

  it('resumes at the last step when the flow got shorter than the old position', () => {
    const result = migrateSnapshot(inLesson('gone', 9), course(v2));
    expect(result.snapshot.value).toEqual({ flow: { intro: 'd' } });
  });

  it('sends a learner in a removed flow to the menu, keeping language and progress', () => {
    const stored = {
      value: { flow: { removed: 'x' } },
      context: { ...initialContext(), lang: 'ay' as const, done: { intro: [2, 2] as [number, number] } },
    };
    const result = migrateSnapshot(stored, course(v2));
    expect(result.notice).toBe('flow_removed');
    expect(result.snapshot.value).toBe('menu');
    expect(result.snapshot.context.lang).toBe('ay');
    expect(result.snapshot.context.done).toEqual({ intro: [2, 2] });
  });

  it('drops assessment answers to questions that no longer exist', () => {
    const stored = {
      value: 'menu',
      context: { ...initialContext(), lang: 'es' as const, points: { c1: 2, removed: 1 } },
    };
    expect(migrateSnapshot(stored, course(v2)).snapshot.context.points).toEqual({ c1: 2 });
  });

  it('fills fields that older snapshots did not have', () => {
    const stored = { value: 'menu', context: { lang: 'es' } as unknown as LearnerContext };
    expect(migrateSnapshot(stored, course(v2)).snapshot.context).toEqual({ ...initialContext(), lang: 'es' });
  });
});
