import type { TurnOutcome } from '../../store/session-turns.js';
import { describeState } from '../describe-state.js';
import { resultOf, type Turn, type TurnResult } from '../turn.js';

/**
 * A retried delivery (its MessageSid was seen): answer as before and change nothing. Only the
 * newest reply is kept, so an older retry gets no answer.
 */
export function duplicate(turn: Turn): TurnOutcome<TurnResult> | null {
  const { record, message } = turn;
  if (!record?.seen.includes(message.messageSid)) return null;
  const replies = record.seen.at(-1) === message.messageSid ? record.lastReplies : [];
  const state = describeState(record.snapshot.value);
  return { value: resultOf(turn, replies, state, { keyword: null, duplicate: true }) };
}
