import type { TurnOutcome } from '../../store/session-turns.js';
import type { StepDeps } from '../deps.js';
import { sayText, textFor } from '../said.js';
import { resultOf, type Turn, type TurnResult } from '../turn.js';

type Deps = Pick<StepDeps, 'completions' | 'groups' | 'sessions' | 'optOuts' | 'render' | 'spelling'>;

/**
 * BORRAR: forget the learner (their completion code, their place in a group, their session) and
 * say so. There is no session left to save. A learner who had sent STOP stays opted out: nothing
 * is sent to the number until START.
 */
export async function forget(turn: Turn, deps: Deps): Promise<TurnOutcome<TurnResult> | null> {
  if (turn.keyword !== 'delete') return null;
  // First, so that no failure further on can lose it.
  if (turn.optedOut) await deps.optOuts.keep(turn.learner);
  const code = turn.record?.snapshot.context.cert?.code;
  if (code) await deps.completions.delete(code);
  await deps.groups.forgetLearner(turn.learner);
  await deps.sessions.deleteAll(turn.learner);
  const replies = textFor([sayText(turn.lang, 'deleted')], turn.message.address.channel, deps);
  return { value: resultOf(turn, replies, 'deleted') };
}
