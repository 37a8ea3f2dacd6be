/**
 * The port through which anything below the conversation (group desk, quiz runner) tells someone
 * who did not just write: the coordinator, a group's members. `outbound-notifier.ts` implements it
 * with the outbound sender.
 */
import type { Language } from '../content/locale-schema.js';
import type { Reply } from '../flows/reply.js';

/** Sends a text to someone who did not just write: the coordinator, a group. */
export interface Notifier {
  /** `fallback`: the language for someone who never chose one (a coordinator who never wrote). */
  notify(
    phone: string,
    dedupeKey: string,
    text: (lang: Language) => Reply,
    fallback?: Language,
  ): Promise<void>;
}
