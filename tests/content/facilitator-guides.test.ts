// The facilitator guides: every lesson of the real course has one, and they are written in
// course order with goal, time, activity and what to listen for.
import { describe, expect, it } from 'vitest';
import { guidesMarkdown, readGuides } from '../../src/content-tools/facilitator-guides.js';
import { realContent } from '../support/content.js';

const { course, translator } = realContent();
const lessons = course.sections.flatMap((s) =>
  s.flows.map((f) => ({ id: f.id, title: translator.t('es', `${f.id}:${f.title}`) })),
);

describe('facilitator guides', () => {
  it('exist for every lesson and the feasibility check of the real course', () => {
    const { guides, problems } = readGuides('locales');
    expect(problems).toEqual([]);
    expect(lessons.map((l) => l.id).filter((id) => !guides[id])).toEqual([]);
  });

  it('are written in course order with their four parts', () => {
    const markdown = guidesMarkdown(readGuides('locales').guides, lessons);
    const headings = [...markdown.matchAll(/^## .*\(`([a-z-]+)`\)$/gm)].map((m) => m[1]);
    expect(headings).toEqual(lessons.map((l) => l.id));
    for (const part of ['**Objetivo:**', '**Tiempo:**', '**Actividad:**', '**Escuchar:**'])
      expect(markdown.split(part).length - 1).toBe(lessons.length);
  });
});
