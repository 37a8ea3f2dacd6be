import type { TurnOutcome } from '../../store/session-turns.js';
import type { StepDeps } from '../deps.js';
import { sayText, textFor } from '../said.js';
import { resultOf, type Turn, type TurnResult } from '../turn.js';

type Deps = Pick<
  StepDeps,
  | 'completions'
  | 'groups'
  | 'sessions'
  | 'quizStore'
  | 'optOuts'
  | 'outbox'
  | 'suggestions'
  | 'render'
  | 'spelling'
>;

/**
 * BORRAR: forget the learner and say so; there is no session left to save. What goes: their
 * messages still waiting to be sent, their answers in a running group quiz, their place in a
 * group, their completion code, their words in the suggestions reviewers read (before the
 * link to them goes), and every key named by them (Keyspace.erasedWithLearner). What
 * stays (Keyspace.keptAfterErasure, the README's "What BORRAR keeps"): a learner who had sent
 * STOP stays opted out, so that nothing is sent to the number until START.
 */
export async function forget(turn: Turn, deps: Deps): Promise<TurnOutcome<TurnResult> | null> {
  if (turn.keyword !== 'delete') return null;
  const { learner } = turn;
  // First, so that no failure further on can lose it.
  if (turn.optedOut) await deps.optOuts.keep(learner);
  await deps.outbox?.forgetRecipient(learner);
  if (turn.group) await deps.quizStore.forgetLearner(turn.group, learner);
  const code = turn.record?.snapshot.context.cert?.code;
  if (code) await deps.completions.delete(code);
  await deps.groups.forgetLearner(learner);
  await deps.suggestions?.forgetLearner(learner);
  await deps.sessions.deleteAll(learner);
  const replies = textFor([sayText(turn.lang, 'deleted')], turn.message.address.channel, deps);
  return { value: resultOf(turn, replies, 'deleted') };
}
