/**
 * What a learner answered when they tapped a WhatsApp button (ButtonPayload) or a list item
 * (ListId) instead of typing. Ayni's ids are `<interactive name>.<option number>`
 * (src/replies/whatsapp-content.ts): the number is the answer, read like a typed one, and the name
 * says which message the button was on, because WhatsApp keeps the buttons of old messages
 * tappable (the engine answers only a tap on the message the learner is at now:
 * src/conversation/steps/stale-tap.ts). The label they saw (ButtonText, ListTitle, and Body, which
 * repeats it) is never read, so rewording a label cannot change an answer. An id that is not one
 * of ours (a button of some other template) leaves the message as typed.
 */

export interface InboundFields {
  Body?: string | undefined;
  ButtonPayload?: string | undefined;
  ListId?: string | undefined;
}

/** The text the turn reads, and, for a tap on one of Ayni's buttons, the message it was on. */
export interface InboundAnswer {
  body: string;
  /**
   * The interactive message (its name) whose button or list item was tapped; null for a bare
   * option number, the id of resources synced before ids named their message: which message it
   * was on cannot be known. Absent when the learner typed (or tapped another template's button).
   */
  tappedOn?: string | null;
}

const OPTION = '(0|[1-9][0-9]?)';
const OUR_ID = new RegExp(`^(?:(ayni_[a-z0-9_-]+)\\.)?${OPTION}$`);

export function inboundAnswerOf({ Body, ButtonPayload, ListId }: InboundFields): InboundAnswer {
  const id = (ListId ?? ButtonPayload)?.trim();
  const ours = id === undefined ? null : OUR_ID.exec(id);
  if (!ours) return { body: Body ?? '' };
  return { body: ours[2]!, tappedOn: ours[1] ?? null };
}
