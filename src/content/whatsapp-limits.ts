/**
 * WhatsApp's limits on the labels of interactive messages (Twilio Content API: twilio/quick-reply
 * and twilio/list-picker). WhatsApp rejects a whole message when one label is too long, so the
 * content check holds every authored label to these, in every language, and the sender never
 * puts a longer text in a label (it falls back to the option's number).
 */

export const WHATSAPP_LIMITS = {
  /** a quick-reply button's title */
  quickReplyTitle: 20,
  /** a list-picker item's title */
  listItem: 24,
  /** a list-picker item's description */
  listDescription: 72,
  /** the list-picker's button, the one that opens the list */
  listButton: 20,
} as const;

export type WhatsAppLabelKind = keyof typeof WHATSAPP_LIMITS;

/** At most this many buttons in a quick reply, items in a list. */
export const QUICK_REPLY_MAX_BUTTONS = 3;
export const LIST_MAX_ITEMS = 10;

/** Characters as WhatsApp counts them: code points, so an accented letter or an emoji is one. */
export function labelLength(text: string): number {
  return [...text].length;
}

export function fitsLabel(text: string, kind: WhatsAppLabelKind): boolean {
  return labelLength(text) <= WHATSAPP_LIMITS[kind];
}

/** What is wrong with a label, for the content check; null when it fits. */
export function labelProblem(text: string, kind: WhatsAppLabelKind): string | null {
  if (fitsLabel(text, kind)) return null;
  return `${labelLength(text)} characters; WhatsApp allows at most ${WHATSAPP_LIMITS[kind]} in a ${LABEL_NAMES[kind]}`;
}

const LABEL_NAMES: Record<WhatsAppLabelKind, string> = {
  quickReplyTitle: 'button title',
  listItem: 'list item',
  listDescription: 'list item description',
  listButton: 'list button',
};
