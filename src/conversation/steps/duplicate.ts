import type { TurnOutcome } from '../../store/session-turns.js';
import { describeState } from '../describe-state.js';
import { resultOf, type Turn, type TurnResult } from '../turn.js';

/**
 * A MessageSid handled before: a retried delivery, or a signed request captured and sent again
 * at any later time (the replay log remembers every one, also after BORRAR). Answer as before and
 * change nothing. Only the newest reply is kept, so anything older gets no answer.
 */
export function duplicate(turn: Turn): TurnOutcome<TurnResult> | null {
  const { record, message } = turn;
  // `seen` also covers sessions saved before the replay log existed.
  if (!turn.replayed && !record?.seen.includes(message.messageSid)) return null;
  const replies = record?.seen.at(-1) === message.messageSid ? record.lastReplies : [];
  const state = record ? describeState(record.snapshot.value) : 'deleted';
  return { value: resultOf(turn, replies, state, { keyword: null, duplicate: true }), unchanged: true };
}
