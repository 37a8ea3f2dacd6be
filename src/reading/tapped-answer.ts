/**
 * What a learner answered when they tapped a WhatsApp button (ButtonPayload) or a list item
 * (ListId) instead of typing: the option's id, which Ayni made the number a learner would type
 * (src/replies/whatsapp-content.ts). The label they saw (ButtonText, ListTitle, and Body, which
 * repeats it) is never read, so rewording a label cannot change an answer. An id that is not one
 * of ours (a button of some other template) leaves the message as typed.
 */

export interface InboundFields {
  Body?: string | undefined;
  ButtonPayload?: string | undefined;
  ListId?: string | undefined;
}

const OUR_ID = /^(?:0|[1-9][0-9]?)$/;

export function answerTextOf({ Body, ButtonPayload, ListId }: InboundFields): string {
  const id = (ListId ?? ButtonPayload)?.trim();
  return id !== undefined && OUR_ID.test(id) ? id : (Body ?? '');
}
