/**
 * What the course costs, per lesson and for the whole course, per language and channel, read off
 * the happy-path walk (course-walk.ts). On SMS the organisation pays per segment Ayni sends and
 * the learner pays for every message they send, each "1" that only means "go on" included; on
 * WhatsApp, inside the 24-hour window, nobody pays per message, but every message the learner
 * must send is still a step they can drop out at. The price is the two added up.
 */
import type { Language } from '../content/locale-schema.js';
import { LANGUAGES } from '../content/locale-schema.js';
import type { ContentRuntime } from '../plugins/content-runtime.js';
import type { Channel } from '../privacy/phone.js';
import { smsSize } from '../replies/sms-segments.js';
import { walkCourse, type WalkedTurn } from './course-walk.js';

export interface PriceRow {
  /** a flow id, or START for first contact, the language and the menus */
  part: string;
  lang: Language;
  channel: Channel;
  /** messages (WhatsApp bubbles) Ayni sends */
  sent: number;
  /** their SMS segments (on WhatsApp, where none are paid, as if they went by SMS) */
  segments: number;
  /** of the messages sent, those that fit in one SMS segment */
  oneSegment: number;
  /** messages the learner must send */
  learner: number;
  /** of those, "1" only to go on from a reading step */
  goOn: number;
}

const CHANNELS: Channel[] = ['sms', 'whatsapp'];

/** The turns outside any lesson: first contact, the language, the menu choices. */
export const START = 'start';
export const WHOLE_COURSE = 'whole course';

export interface CoursePrice {
  /** per part (START, then each flow in course order), language and channel */
  rows: PriceRow[];
  /** the whole course, per language and channel */
  totals: PriceRow[];
}

export function coursePrice(runtime: ContentRuntime): CoursePrice {
  const parts = [START, ...runtime.course.sections.flatMap((s) => s.flows.map((f) => f.id))];
  const rows: PriceRow[] = [];
  const totals: PriceRow[] = [];
  for (const channel of CHANNELS) {
    for (const lang of LANGUAGES) {
      const walk = walkCourse(runtime, lang, channel);
      const mine = parts.map((part) =>
        priceOf(
          walk.filter((t) => (t.flow ?? START) === part),
          { part, lang, channel },
        ),
      );
      rows.push(...mine);
      totals.push(priceOf(walk, { part: WHOLE_COURSE, lang, channel }));
    }
  }
  return { rows, totals };
}

function priceOf(turns: WalkedTurn[], at: Pick<PriceRow, 'part' | 'lang' | 'channel'>): PriceRow {
  const sizes = turns.flatMap((t) => t.replies).map((text) => smsSize(text).segments);
  return {
    ...at,
    sent: sizes.length,
    segments: sizes.reduce((n, s) => n + s, 0),
    oneSegment: sizes.filter((s) => s === 1).length,
    learner: turns.length,
    goOn: turns.filter((t) => t.goOn).length,
  };
}

/**
 * The total: on SMS, segments sent plus messages sent back, each paid for; on WhatsApp, bubbles
 * sent plus messages sent back.
 */
export const totalOf = (row: PriceRow) =>
  row.channel === 'sms' ? row.segments + row.learner : row.sent + row.learner;
