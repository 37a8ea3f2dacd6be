// The renderer keeps the texts of replies written by the content alone (a step, feedback on it, a
// shell text without values): what it hands out again must be what a fresh renderer writes.
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../src/content/locale-schema.js';
import type { Reply } from '../../src/flows/reply.js';
import { createReplyRenderer } from '../../src/replies/render-reply.js';
import { realContent } from '../support/content.js';

const { course, translator } = realContent();

/** Every reply about every step of the course that the renderer keeps, and a few shell texts. */
const replies: Reply[] = [
  { kind: 'welcome' },
  ...['menu', 'help', 'continue', 'welcome_back'].map((key): Reply => ({ kind: 'text', key })),
  ...[...course.lessons, course.assessment].flatMap((flow) =>
    flow.steps.flatMap((step): Reply[] => {
      const at = { flow: flow.id, step: step.id };
      return [
        { kind: 'step', ...at },
        { kind: 'step', ...at, joined: true },
        { kind: 'reprompt', ...at },
        ...(step.type === 'question'
          ? (['right', 'wrong', 'reveal'] as const).map((kind): Reply => ({ kind, ...at }))
          : []),
        ...(step.type === 'number'
          ? (['nan', 'low', 'high'] as const).map((problem): Reply => ({
              kind: 'amountReprompt',
              ...at,
              problem,
            }))
          : []),
      ];
    }),
  ),
];

describe('the reply renderer', () => {
  it('hands out the texts of a content reply again as a fresh renderer writes them', () => {
    const kept = createReplyRenderer(course, translator);
    for (const lang of LANGUAGES) for (const reply of replies) kept(reply, lang);
    for (const lang of LANGUAGES) {
      for (const reply of replies) {
        const again = kept(reply, lang);
        expect(again).toBe(kept(reply, lang));
        expect(Object.isFrozen(again)).toBe(true);
        expect(again).toEqual(createReplyRenderer(course, translator)(reply, lang));
      }
    }
    expect(replies.length).toBeGreaterThan(100);
  });

  it('writes a reply with values of its own every time', () => {
    const render = createReplyRenderer(course, translator);
    const completed = (code: string): Reply => ({ kind: 'completed', section: 'x', code });
    expect(render(completed('AAA'), 'es')).not.toBe(render(completed('AAA'), 'es'));
    expect(render(completed('AAA'), 'es')[0]).toContain('AAA');
    expect(render(completed('BBB'), 'es')[0]).toContain('BBB');
    const withVars: Reply = { kind: 'text', key: 'restarted', vars: {} };
    expect(render(withVars, 'es')).not.toBe(render(withVars, 'es'));
  });
});
