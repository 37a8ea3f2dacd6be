/**
 * A broadcast: one text (per language) to the learners a target picks, now, later or on a
 * schedule. Each time it goes out is an occurrence: `once` for a one-off, the scheduled time in
 * ms for a repeating one. The outbound sender identifies a message by its dedupeKey and
 * recipient, so `broadcast:<id>:<occurrence>` makes every occurrence reach each learner at most once.
 */
import type { Language } from '../content/locale-schema.js';
import type { OutboundTemplate } from '../messaging/outbound-message.js';

/** Who gets it: exactly one of these. */
export type Target =
  | { groups: string[] }
  | { all: true }
  | { locale: Language }
  /** learners who have not finished this lesson */
  | { notFinished: string }
  /** learners who have not written for at least this many days */
  | { inactiveDays: number };

/** Spanish is required: a language without its own text gets the Spanish one. */
export type BroadcastTexts = { es: string } & Partial<Record<Language, string>>;

export interface Repeat {
  /** five fields, or six with seconds first, read in `tz` */
  cron: string;
  /** ms since the epoch: no occurrence after this */
  until: number;
}

export interface Broadcast {
  id: string;
  createdAt: number;
  target: Target;
  text: BroadcastTexts;
  /** for WhatsApp learners outside the 24-hour window */
  template: OutboundTemplate | null;
  /** WhatsApp outside the window without a template: send the text by SMS instead of skipping */
  smsFallback: boolean;
  /** ms since the epoch; null: now (or the first cron time) */
  sendAt: number | null;
  repeat: Repeat | null;
  /** the time zone the cron is read in */
  tz: string;
  /** recipients the target matched when the broadcast was created */
  targeted: number;
  /** 'api', or 'aviso' for a coordinator's AVISO by text */
  origin: string;
}

/** What GET answers: `scheduled` before the first occurrence, `repeating` between occurrences. */
export type BroadcastState = 'scheduled' | 'sending' | 'repeating' | 'done' | 'cancelled';

export const ONE_OFF = 'once';

export function dedupeKeyOf(id: string, occurrence: string): string {
  return `broadcast:${id}:${occurrence}`;
}

export type TargetKind = 'groups' | 'all' | 'locale' | 'notFinished' | 'inactiveDays';

/** The target's kind, for logs and for choosing the recipient set. */
export function targetKind(target: Target): TargetKind {
  return Object.keys(target)[0] as TargetKind;
}
