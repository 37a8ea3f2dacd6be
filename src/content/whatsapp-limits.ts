/**
 * WhatsApp's limits on the labels of interactive messages (Twilio Content API: twilio/quick-reply
 * and twilio/list-picker). WhatsApp rejects a whole message when one label is too long, so the
 * content check holds every authored label to these, in every language, and the sender never
 * puts a longer text in a label (it falls back to the option's number).
 */
import type { LoadedContent } from './load-content.js';

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

/**
 * Ayni's options become buttons where they fit. An option "will be a button" when its Spanish
 * source already fits its limit: a translation must not be the one thing that keeps a question
 * from becoming buttons (content:import holds reviewers' rows to this).
 */
export const QUICK_REPLY_BUTTONS_MAX = QUICK_REPLY_MAX_BUTTONS;
export const QUICK_REPLY_TITLE_MAX = WHATSAPP_LIMITS.quickReplyTitle;
export const LIST_ROW_TITLE_MAX = WHATSAPP_LIMITS.listItem;

/** The longest label an option may have, given how many options its question has. */
export function optionLabelLimit(optionCount: number): number {
  return optionCount <= QUICK_REPLY_BUTTONS_MAX ? QUICK_REPLY_TITLE_MAX : LIST_ROW_TITLE_MAX;
}

/** Characters as WhatsApp counts them: code points, so an accented letter or an emoji is one. */
export function labelLength(text: string): number {
  return [...text].length;
}

/**
 * Every option text (qualified key, `lesson:q1.a`) that will be a button, with its limit: the
 * smallest limit of the questions it appears in, kept only where the Spanish source fits.
 */
export function buttonLabelLimits(content: LoadedContent): Map<string, number> {
  const limits = new Map<string, number>();
  for (const { flow } of content.flows.values()) {
    for (const step of flow.steps) {
      const options =
        step.type === 'question'
          ? step.options
          : step.type === 'rating'
            ? step.options.map((o) => o.text)
            : [];
      const limit = optionLabelLimit(options.length);
      for (const option of options) {
        const key = option.includes(':') ? option : `${flow.id}:${option}`;
        limits.set(key, Math.min(limit, limits.get(key) ?? limit));
      }
    }
  }
  for (const [key, limit] of limits) {
    const source = content.locales.es.get(key)?.text;
    if (source === undefined || labelLength(source) > limit) limits.delete(key);
  }
  return limits;
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
