import type { TurnOutcome } from '../../store/session-turns.js';
import type { StepDeps } from '../deps.js';
import { sayText, textFor } from '../said.js';
import { resultOf, type Turn, type TurnResult } from '../turn.js';

type Deps = Pick<StepDeps, 'completions' | 'groups' | 'sessions' | 'render' | 'spelling'>;

/**
 * BORRAR: forget the learner (their completion code, their place in a group, their session) and
 * say so. There is no session left to save.
 */
export async function forget(turn: Turn, deps: Deps): Promise<TurnOutcome<TurnResult> | null> {
  if (turn.keyword !== 'delete') return null;
  const code = turn.record?.snapshot.context.cert?.code;
  if (code) await deps.completions.delete(code);
  await deps.groups.forgetLearner(turn.learner);
  await deps.sessions.deleteAll(turn.learner);
  const replies = textFor([sayText(turn.lang, 'deleted')], turn.message.address.channel, deps);
  return { value: resultOf(turn, replies, 'deleted') };
}
