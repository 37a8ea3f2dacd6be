import { transition } from 'xstate';
import type { Course } from '../../flows/course.js';
import { findStep } from '../../flows/course.js';
import type { CompletionParams, Reply } from '../../flows/reply.js';
import type { Channel } from '../../privacy/phone.js';
import { smsSize } from '../../replies/sms-segments.js';
import type { StepDeps } from '../deps.js';
import { effectsOf, saysOf, textFor, type Said } from '../said.js';
import type { Next } from '../turn.js';

export type ReadAheadDeps = Pick<StepDeps, 'machine' | 'course' | 'render' | 'spelling'>;
type Deps = ReadAheadDeps;

/** Where the turn happens: the channel it answers on, its time, the learner's completion seed. */
export interface TurnAt {
  channel: Channel;
  now: number;
  codeSeed: () => string;
}

/** WhatsApp bubbles one turn may carry: more in a row are hard to read on a small screen. */
export const MAX_WHATSAPP_BUBBLES = 3;

/**
 * A turn that ends on a reading (message) step does not wait for "1" when the next step fits in
 * the same turn: the engine goes on for the learner, and the continue line is said once, after
 * the last step sent. It stops at a question (or anything that is not a message step), and when
 * the channel would pay for more:
 * - WhatsApp: at most MAX_WHATSAPP_BUBBLES bubbles in the turn (free inside the 24-hour window);
 * - SMS: only while the next step packs into the turn's last message at no extra segment and no
 *   extra message, so that reading ahead never costs the organisation more than waiting would.
 */
export function readAhead(next: Next, { channel, now, codeSeed }: TurnAt, deps: Deps): Next {
  if (!waitsAtMessageStep(next.said, deps.course)) return next;
  // What the learner's "1" would have been; a reading step reads nothing from it.
  const event = { type: 'TEXT' as const, text: '1', now, resumed: false, codeSeed: codeSeed() };
  let current = next;
  while (waitsAtMessageStep(current.said, deps.course)) {
    const [snapshot, actions] = transition(deps.machine, current.snapshot, event);
    const said = [...joinLast(current.said), ...saysOf(actions)];
    if (!costsNoMore(current.said, said, channel, deps)) break;
    const completions = [...current.completions, ...effectsOf<CompletionParams>(actions, 'recordCompletion')];
    current = { ...current, snapshot, said, completions };
  }
  return current;
}

/** The turn's last reply is a message step: the learner would only send "1" to go on. */
function waitsAtMessageStep(said: Said[], course: Course): boolean {
  const last = said.at(-1)?.reply;
  if (last?.kind !== 'step' || last.joined) return false;
  const flow = course.flow(last.flow);
  return !!flow && findStep(flow, last.step)?.step.type === 'message';
}

/** The same replies, with the last step marked as followed by more in this turn. */
function joinLast(said: Said[]): Said[] {
  const last = said.at(-1)!;
  const joined: Reply = { ...(last.reply as Extract<Reply, { kind: 'step' }>), joined: true };
  return [...said.slice(0, -1), { lang: last.lang, reply: joined }];
}

function costsNoMore(before: Said[], after: Said[], channel: Channel, deps: Deps): boolean {
  const texts = textFor(after, channel, deps);
  if (channel !== 'sms') return texts.length <= MAX_WHATSAPP_BUBBLES;
  const was = textFor(before, channel, deps);
  return texts.length <= was.length && segmentsOf(texts) <= segmentsOf(was);
}

const segmentsOf = (texts: string[]) => texts.reduce((n, text) => n + smsSize(text).segments, 0);
