/**
 * WhatsApp keeps the buttons of old messages tappable, and a tap names the message its button was
 * on (src/reading/tapped-answer.ts). A tap on any message but the one the learner is at now would
 * answer the current step with an option of another question (or start another lesson), so it is
 * not read: the learner hears that the button was from an earlier message and gets the current
 * question again, with its buttons, and stays where they were.
 */
import type { Course } from '../../flows/course.js';
import type { LearnerContext } from '../../flows/learner-context.js';
import type { Reply } from '../../flows/reply.js';
import { interactiveNameOf } from '../../replies/whatsapp-content.js';
import type { StepDeps } from '../deps.js';
import { describeState } from '../describe-state.js';
import { sayText, type Said } from '../said.js';
import type { Snapshot } from '../snapshots.js';
import type { Next, Turn } from '../turn.js';

export function staleTap(
  turn: Turn,
  { snapshots, course }: Pick<StepDeps, 'snapshots' | 'course'>,
): Next | null {
  const { tappedOn } = turn.message;
  if (tappedOn === undefined) return null;
  const snapshot = snapshots.current(turn.record);
  const prompt = turn.record ? promptAt(snapshot, course) : null;
  const current = prompt ? interactiveNameOf(prompt, turn.lang, course) : null;
  if (tappedOn !== null && tappedOn === current) return null;
  // A newcomer (a learner who sent BORRAR still has old messages) is greeted as on a first message.
  const again: Said[] = prompt ? [{ lang: turn.lang, reply: prompt }] : snapshots.first().said;
  return {
    snapshot,
    said: [sayText(turn.lang, 'stale_tap'), ...again],
    optedOut: turn.optedOut,
    completions: [],
  };
}

/**
 * What the learner's state asks them, as its state's entry says it (src/flows/machine/): the
 * language choice, the menu, a page of lessons, a lesson's step. Null for a state that asks
 * nothing (there is none at rest today).
 */
export function promptAt(snapshot: Snapshot, course: Course): Reply | null {
  const [room, a, b] = describeState(snapshot.value).split('/');
  const context = snapshot.context as LearnerContext;
  switch (room) {
    case 'welcome':
    case 'language':
      return { kind: 'text', key: 'choose_language' };
    case 'menu':
      return { kind: 'text', key: 'menu' };
    case 'list': {
      const page = Number(b?.slice(1)) - 1;
      return a && page >= 0 ? { kind: 'lessons', section: a, page, done: Object.keys(context.done) } : null;
    }
    case 'flow': {
      const step = a && b ? course.flow(a)?.steps.find((s) => s.id === b) : undefined;
      if (!a || !step) return null;
      return step.type === 'calculation'
        ? { kind: 'calculation', flow: a, step: step.id, figures: context.nums }
        : { kind: 'step', flow: a, step: step.id };
    }
    default:
      return null;
  }
}
