import type { StepDeps } from '../deps.js';
import { sayText } from '../said.js';
import type { Next, Turn } from '../turn.js';

/**
 * STOP opts the learner out, and says so once. While opted out, every message but START is
 * remembered as handled and answered with nothing; the learner stays where they were.
 */
export function optOut(turn: Turn, { snapshots }: Pick<StepDeps, 'snapshots'>): Next | null {
  if (turn.keyword === 'stop') {
    const said = [sayText(turn.lang, 'stopped')];
    return { snapshot: snapshots.current(turn.record), said, optedOut: true, completions: [] };
  }
  if (turn.optedOut && turn.keyword !== 'start') {
    return { snapshot: snapshots.current(turn.record), said: [], optedOut: true, completions: [] };
  }
  return null;
}
