/**
 * WhatsApp's limits on the labels of interactive replies, in one place so every tool measures
 * options the same way. A question with up to three options can be sent as quick-reply buttons
 * (at most 3, each title at most 20 characters); with more, as a list (row titles at most 24).
 *
 * Ayni still sends options as numbered text. An option "will be a button" when its Spanish
 * source already fits its limit: a translation must not be the one thing that keeps a question
 * from becoming buttons. Options whose Spanish is longer are not held to the limit.
 */
import type { LoadedContent } from './load-content.js';

export const QUICK_REPLY_BUTTONS_MAX = 3;
export const QUICK_REPLY_TITLE_MAX = 20;
export const LIST_ROW_TITLE_MAX = 24;

/** The longest label an option may have, given how many options its question has. */
export function optionLabelLimit(optionCount: number): number {
  return optionCount <= QUICK_REPLY_BUTTONS_MAX ? QUICK_REPLY_TITLE_MAX : LIST_ROW_TITLE_MAX;
}

/** Characters as WhatsApp counts them in a title (code points, so an accented letter is one). */
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
