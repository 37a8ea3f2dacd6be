/**
 * How the sender names one recipient of one message: a hash of the message's dedupeKey and the
 * learner id. It is the send job's BullMQ id and the delivery log's name for the recipient (their
 * outcome, their send claim), so neither the queue nor the log holds the learner id itself: after
 * BORRAR the log can still say that a message went to someone, which keeps it from going twice,
 * but not to whom. BullMQ job ids may not contain ':'; hex is safe anywhere.
 */
import { createHash } from 'node:crypto';

export function recipientKey(dedupeKey: string, learner: string): string {
  return createHash('sha256').update(dedupeKey).update('\0').update(learner).digest('hex').slice(0, 40);
}
