import { transition } from '../../flows/machine/pure-transition.js';
import type { Language } from '../../content/locale-schema.js';
import { findStep, nextStepOf, type Course } from '../../flows/course.js';
import type { CompletionParams, Reply } from '../../flows/reply.js';
import type { Channel } from '../../privacy/phone.js';
import { smsSize } from '../../replies/sms-segments.js';
import type { StepDeps } from '../deps.js';
import { effectsOf, saysOf, textFor, whatsappBubbles, type Said } from '../said.js';
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

type StepReply = Extract<Reply, { kind: 'step' }>;
export type ReadAhead = (next: Next, at: TurnAt) => Next;

/**
 * A turn that ends on a reading (message) step does not wait for "1" when the next step fits in
 * the same turn: the engine goes on for the learner, and the continue line is said once, after
 * the last step sent. It stops at a question (or anything that is not a message step), and when
 * the channel would pay for more:
 * - WhatsApp: at most MAX_WHATSAPP_BUBBLES bubbles in the turn (free inside the 24-hour window);
 * - SMS: only while the next step packs into the turn's last message at no extra segment and no
 *   extra message, so that reading ahead never costs the organisation more than waiting would.
 */
export function createReadAhead(deps: Deps): ReadAhead {
  const mayJoin = smsJoins(deps);
  return (next, { channel, now, codeSeed }) => {
    const waiting = waitingStep(next.said, deps.course);
    if (!waiting || (channel === 'sms' && !mayJoin(waiting, next.said.at(-1)!.lang))) return next;
    // What the learner's "1" would have been; a reading step reads nothing from it.
    const event = { type: 'TEXT' as const, text: '1', now, resumed: false, codeSeed };
    let current = next;
    // WhatsApp counts only the bubbles after a step more (costsNoMore): nothing to compare with.
    let cost = channel === 'sms' ? costOf(next.said, channel, deps) : NOTHING_TO_COMPARE;
    while (waitingStep(current.said, deps.course)) {
      const [snapshot, actions] = transition(deps.machine, current.snapshot, event);
      const said = [...joinLast(current.said), ...saysOf(actions)];
      const after = costOf(said, channel, deps);
      if (!costsNoMore(cost, after, channel)) break;
      const completions = [
        ...current.completions,
        ...effectsOf<CompletionParams>(actions, 'recordCompletion'),
      ];
      current = { ...current, snapshot, said, completions };
      cost = after;
    }
    return current;
  };
}

/**
 * What the channel charges for the turn's replies: SMS its messages and their segments, WhatsApp
 * its bubbles. Counting bubbles needs no text written for the channel (commit writes them once).
 */
type Cost = { messages: number; segments: number };
const NOTHING_TO_COMPARE: Cost = { messages: 0, segments: 0 };

function costOf(said: Said[], channel: Channel, deps: Deps): Cost {
  if (channel !== 'sms') return { messages: whatsappBubbles(said, deps), segments: 0 };
  const texts = textFor(said, 'sms', deps);
  return { messages: texts.length, segments: segmentsOf(texts) };
}

/** The turn's last reply, when it is a message step: the learner would only send "1" to go on. */
function waitingStep(said: Said[], course: Course): StepReply | null {
  const last = said.at(-1)?.reply;
  if (last?.kind !== 'step' || last.joined) return null;
  const flow = course.flow(last.flow);
  return flow && findStep(flow, last.step)?.step.type === 'message' ? last : null;
}

/**
 * On SMS, whether a reading step and the step after it fit one SMS together at all: if not, no
 * turn can read ahead from it, whatever came before it in the turn, and trying (a transition and
 * two renders) took a third of an SMS turn's CPU time with the real lessons, where almost no
 * step fits. Known once per step and language; a step that ends its flow is always tried.
 */
function smsJoins(deps: Deps): (step: StepReply, lang: Language) => boolean {
  const known = new Map<string, boolean>();
  return (reply, lang) => {
    const key = `${reply.flow}/${reply.step}/${lang}`;
    let joins = known.get(key);
    if (joins === undefined) {
      const flow = deps.course.flow(reply.flow)!;
      const next = nextStepOf(flow, findStep(flow, reply.step)!.index);
      const pair: Said[] = [
        { lang, reply: { ...reply, joined: true } },
        { lang, reply: { kind: 'step', flow: reply.flow, step: next } },
      ];
      joins = next === 'done' || textFor(pair, 'sms', deps).length === 1;
      known.set(key, joins);
    }
    return joins;
  };
}

/** The same replies, with the last step marked as followed by more in this turn. */
function joinLast(said: Said[]): Said[] {
  const last = said.at(-1)!;
  const joined: Reply = { ...(last.reply as StepReply), joined: true };
  return [...said.slice(0, -1), { lang: last.lang, reply: joined }];
}

/** Whether the turn's replies `after` reading one step more cost the channel no more than `before`. */
function costsNoMore(before: Cost, after: Cost, channel: Channel): boolean {
  if (channel !== 'sms') return after.messages <= MAX_WHATSAPP_BUBBLES;
  return after.messages <= before.messages && after.segments <= before.segments;
}

const segmentsOf = (texts: string[]) => texts.reduce((n, text) => n + smsSize(text).segments, 0);
