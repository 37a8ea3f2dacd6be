/**
 * The feasibility check's verdict in words, from the percent per area. Every area is either a
 * strength or needs work (no silent band in between), and the verdict names the one or two areas
 * to work on first. A group without a common need is never told its idea is viable: the need is
 * what a cooperative exists to meet, so a weak need area alone means "not yet".
 */
import type { AssessmentFlow } from '../content/flow-schema.js';
import { STRENGTH_FROM } from './score-assessment.js';

export type Verdict = 'viable' | 'conditional' | 'not_yet';

/** The area whose weakness alone means "not yet". */
export const NEED_AREA = 'need';
/** With this many areas needing work or more, the verdict is "not yet". */
export const NOT_YET_FROM_GAPS = 3;

export interface VerdictResult {
  verdict: Verdict;
  /** every area that needs work, weakest first (the need area first among equals) */
  gaps: string[];
  /** the one or two areas to work on first */
  first: string[];
}

/** Areas left out of `percents` (a check taken before an area existed) are not judged. */
export function feasibilityVerdict(
  assessment: AssessmentFlow,
  percents: Record<string, number>,
): VerdictResult {
  const scored = assessment.areas.filter((a) => percents[a.id] !== undefined);
  const gaps = scored
    .filter((a) => (percents[a.id] as number) < STRENGTH_FROM)
    .sort((a, b) => (percents[a.id] as number) - (percents[b.id] as number) || rank(a.id) - rank(b.id))
    .map((a) => a.id);
  const verdict: Verdict =
    gaps.length === 0
      ? 'viable'
      : gaps.includes(NEED_AREA) || gaps.length >= NOT_YET_FROM_GAPS
        ? 'not_yet'
        : 'conditional';
  const first = gaps.includes(NEED_AREA)
    ? [NEED_AREA, ...gaps.filter((g) => g !== NEED_AREA)].slice(0, 2)
    : gaps.slice(0, 2);
  return { verdict, gaps, first };
}

function rank(area: string): number {
  return area === NEED_AREA ? 0 : 1;
}
