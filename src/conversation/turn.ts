/**
 * What one turn carries from step to step: the message and the learner's saved session in, the
 * learner's next state out, and the result the webhook answers with and logs.
 */
import type { Language } from '../content/locale-schema.js';
import type { CompletionParams } from '../flows/reply.js';
import type { Who } from '../groups/group-desk.js';
import { maskPhone, type Address } from '../privacy/phone.js';
import type { Keyword } from '../reading/keywords.js';
import type { NudgeMark } from '../store/nudge-stats.js';
import type { SessionRecord } from '../store/session-store.js';
import type { Said } from './said.js';
import type { Snapshot } from './snapshots.js';

export interface InboundMessage {
  address: Address;
  body: string;
  messageSid: string;
  /**
   * A tapped WhatsApp button or list item of Ayni's: the interactive message it was on (null: an
   * old bare-number id, on no known message). Absent for a typed message.
   */
  tappedOn?: string | null;
  /**
   * A console test chat's turn ("Probar el bot", src/routes/console/test-chats.ts): the number is
   * no learner's, so the turn schedules no nudge, counts in no funnel and keeps no suggestion.
   */
  rehearsal?: boolean;
}

export interface TurnResult {
  replies: string[];
  /** for the log line: never the number or the text */
  learner: string;
  state: string;
  keyword: Keyword | null;
  duplicate: boolean;
  /**
   * On WhatsApp, the interactive message (a Content resource's name, src/replies/whatsapp-content.ts)
   * the last reply can go as, with buttons or a list; null when it is plain text.
   */
  interactive: string | null;
  /**
   * On WhatsApp, the pictures that go with replies (a lesson step's, the certificate): each one's
   * public path and the start of the text of the reply it goes with (turn-delivery.ts finds the
   * bubble by it, however replies were grouped into bubbles).
   */
  pictures: TurnPicture[];
}

export interface TurnPicture {
  path: string;
  near: string;
}

/** What a turn knows before any step runs. */
export interface Turn {
  /** the learner's pseudonymous id */
  learner: string;
  message: InboundMessage;
  /** the saved session; null on a learner's first message */
  record: SessionRecord | null;
  /** the id of the learner's group; null when in none */
  group: string | null;
  /** this MessageSid was handled before: a retry, or a captured request replayed */
  replayed: boolean;
  /** the learner was nudged within 24 hours: this message is a comeback (null: it is not) */
  nudged: NudgeMark | null;
  keyword: Keyword | null;
  /** the language the learner chose; Spanish until they choose */
  lang: Language;
  /** whether the learner had opted out before this message */
  optedOut: boolean;
  who: Who;
  now: number;
}

/** The learner's state after the turn: what the commit step saves. */
export interface Next {
  snapshot: Snapshot;
  said: Said[];
  optedOut: boolean;
  /** the completions the flow awarded in this turn; the commit step records them */
  completions: CompletionParams[];
  /** the turn only answered about the conversation (CORREGIR): the text it points at stays */
  keepsLastText?: boolean;
  /** the languages whose draft notice the learner has had, when this turn gave one */
  draftNoticed?: Language[];
}

export function resultOf(
  turn: Turn,
  replies: string[],
  state: string,
  {
    keyword = turn.keyword,
    duplicate = false,
    interactive = null,
    pictures = [],
  }: {
    keyword?: Keyword | null;
    duplicate?: boolean;
    interactive?: string | null;
    pictures?: TurnPicture[];
  } = {},
): TurnResult {
  const learner = maskPhone(turn.message.address.phone);
  return { replies, learner, state, keyword, duplicate, interactive, pictures };
}
