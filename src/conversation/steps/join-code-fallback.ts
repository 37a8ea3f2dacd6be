import { normalizeJoinCode } from '../../reading/join-code.js';
import type { StepDeps } from '../deps.js';
import { onlyReprompts } from '../said.js';
import type { Next, Turn } from '../turn.js';

/**
 * A join code sent alone, where the lesson understood nothing: join the group instead, and keep
 * the learner where they were. Otherwise the lesson's answer stands.
 */
export async function joinCodeFallback(
  turn: Turn,
  lesson: Next,
  deps: Pick<StepDeps, 'desk' | 'snapshots'>,
): Promise<Next | null> {
  if (!turn.record || turn.keyword || !onlyReprompts(lesson.said)) return null;
  const code = normalizeJoinCode(turn.message.body);
  const joined = code ? await deps.desk.joinByCodeAlone(code, turn.who) : null;
  if (!joined) return null;
  const afterJoin = deps.snapshots.afterDesk(turn.record, joined, turn.lang);
  return { ...afterJoin, optedOut: lesson.optedOut, completions: [] };
}
