// The feasibility check's verdict in words, on the real assessment: three contrasting groups, every
// area that needs work gets its advice (no silent band at 50%), and "Mi progreso" shows the
// verdict instead of an average.
import { describe, expect, it } from 'vitest';
import { feasibilityVerdict } from '../../src/flows/feasibility-verdict.js';
import { realContent } from '../support/content.js';

const { course, render, translator } = realContent();
const assessment = course.assessment;
const label = (id: string) => translator.t('es', `${assessment.id}:areas.${id}.label`);
const advice = (id: string) => translator.t('es', `${assessment.id}:areas.${id}.advice`);
const all = (percent: number) => Object.fromEntries(assessment.areas.map((a) => [a.id, percent]));

/** Three groups a trainer meets. */
const groups = {
  // Weavers who share a need, trust each other and know their market, but have not done the sums.
  weavers: { ...all(100), finances: 50, resources: 75 },
  // Neighbours with money and skills but no need they share: the old average scored them 83%.
  noCommonNeed: { ...all(100), need: 0 },
  // A group that answered "partly" to everything: every area at 50%.
  allPartly: all(50),
};

describe('the feasibility verdict', () => {
  it('has the financial area', () => {
    expect(assessment.areas.map((a) => a.id)).toContain('finances');
    expect(assessment.steps.filter((s) => s.type === 'rating' && s.area === 'finances')).toHaveLength(2);
  });

  it('weavers who have not done the sums: viable if they first work on the numbers', () => {
    expect(feasibilityVerdict(assessment, groups.weavers)).toEqual({
      verdict: 'conditional',
      gaps: ['finances'],
      first: ['finances'],
    });
  });

  it('a group with no common need is told "not yet", however strong the rest', () => {
    const result = feasibilityVerdict(assessment, groups.noCommonNeed);
    expect(result.verdict).toBe('not_yet');
    expect(result.first).toEqual(['need']);
  });

  it('a group at 50% everywhere: not yet, need first, and every area needs work', () => {
    const result = feasibilityVerdict(assessment, groups.allPartly);
    expect(result.verdict).toBe('not_yet');
    expect(result.gaps).toHaveLength(assessment.areas.length);
    expect(result.first[0]).toBe('need');
    expect(result.first).toHaveLength(2);
  });

  it('all strong: viable, nothing to work on first', () => {
    expect(feasibilityVerdict(assessment, all(100))).toEqual({ verdict: 'viable', gaps: [], first: [] });
  });

  it('does not judge an area a check taken before it existed has no score for', () => {
    const { finances: _absent, ...before } = all(100);
    expect(feasibilityVerdict(assessment, before).verdict).toBe('viable');
  });
});

describe('the result a group reads', () => {
  it('gives every area at 50% its advice, and the verdict in words', () => {
    const texts = render(
      { kind: 'feasibility', result: { areas: groups.allPartly, on: '2026-03-02' } },
      'es',
    );
    for (const area of assessment.areas) expect(texts.join('\n')).toContain(advice(area.id));
    const { first } = feasibilityVerdict(assessment, groups.allPartly);
    expect(texts).toContain(
      translator.t('es', 'common:feasibility.verdict.not_yet', { first: first.map(label).join(', ') }),
    );
  });

  it('names the weavers’ one thing to do first and gives no advice on their strengths', () => {
    const texts = render({ kind: 'feasibility', result: { areas: groups.weavers, on: '2026-03-02' } }, 'es');
    expect(texts).toContain(
      translator.t('es', 'common:feasibility.verdict.conditional', { first: label('finances') }),
    );
    expect(texts.join('\n')).toContain(advice('finances'));
    expect(texts.join('\n')).not.toContain(advice('need'));
  });

  it('"Mi progreso" shows the verdict, not a percent', () => {
    const [text] = render(
      {
        kind: 'progress',
        done: {},
        feasibility: { areas: groups.noCommonNeed, on: '2026-03-02' },
        cert: null,
      },
      'es',
    );
    expect(text).toContain(
      translator.t('es', 'common:feasibility.summary_short', {
        verdict: translator.t('es', 'common:feasibility.short.not_yet'),
        date: '2026-03-02',
      }),
    );
    expect(text).not.toMatch(/\d+%/);
  });
});
