/** Turns the points a group gave itself into a percent per area of the assessment. */
import type { AssessmentFlow } from '../content/flow-schema.js';

export function scoreAssessment(
  flow: AssessmentFlow,
  points: Record<string, number>,
): Record<string, number> {
  const got: Record<string, number> = {};
  const max: Record<string, number> = {};
  for (const step of flow.steps) {
    if (step.type !== 'rating') continue;
    const best = Math.max(...step.options.map((o) => o.points));
    max[step.area] = (max[step.area] ?? 0) + best;
    got[step.area] = (got[step.area] ?? 0) + (points[step.id] ?? 0);
  }
  const result: Record<string, number> = {};
  for (const area of flow.areas) {
    const areaMax = max[area.id] ?? 0;
    result[area.id] = areaMax === 0 ? 0 : Math.round((100 * (got[area.id] ?? 0)) / areaMax);
  }
  return result;
}

/**
 * An area at or above this percent is a strength; below it, the area needs work and gets its
 * advice. There is no band in between: an area at 50% used to be neither, and got no advice.
 */
export const STRENGTH_FROM = 75;
