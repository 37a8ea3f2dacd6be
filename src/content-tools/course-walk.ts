/**
 * A learner who walks the whole course on the happy path, turn by turn, as the engine answers
 * them (the pure part of a turn: the machine, the one-time notice that Aymara and Quechua texts
 * are drafts, reading ahead, the text for the channel; no Redis): first contact, the language, then every lesson of every section in order, answering each
 * question right at the first try and "1" to every reading step that waits for it. What the
 * course costs (course-price.ts) and what the benchmark's learners send (scripts/bench) are
 * read off this walk.
 */
import { transition } from '../flows/machine/pure-transition.js';
import type { Language } from '../content/locale-schema.js';
import { LANGUAGES } from '../content/locale-schema.js';
import { menuItems } from '../flows/compile-machine.js';
import { findStep, type AnyFlow, type Course } from '../flows/course.js';
import type { ContentRuntime } from '../plugins/content-runtime.js';
import type { Channel } from '../privacy/phone.js';
import { draftNotice } from '../conversation/draft-notice.js';
import { saysOf, textFor, type Said } from '../conversation/said.js';
import { LearnerSnapshots, type Snapshot } from '../conversation/snapshots.js';
import { createReadAhead } from '../conversation/steps/read-ahead.js';

export interface WalkedTurn {
  /** what the learner sent (first contact: "hola") */
  send: string;
  /** the flow this turn belongs to (choosing it in its list, then its steps); null outside one */
  flow: string | null;
  /** the learner only said "go on" to a reading step */
  goOn: boolean;
  replies: string[];
}

const FIRST_CONTACT = 'hola';
const NOW = Date.parse('2026-03-02T09:00:00-04:00');
const WALK_SEED = () => 'walk';

export function walkCourse(runtime: ContentRuntime, lang: Language, channel: Channel): WalkedTurn[] {
  const { course, machine } = runtime;
  const first = new LearnerSnapshots(machine, course).first();
  const turns: WalkedTurn[] = [
    { send: FIRST_CONTACT, flow: null, goOn: false, replies: textFor(first.said, channel, runtime) },
  ];
  const readAhead = createReadAhead(runtime);
  const finished = new Set<string>();
  let snapshot = first.snapshot;
  let noticed: Language[] = [];
  // Each turn moves the learner on; a walk longer than this has gone round in a circle.
  const steps = course.sections.flatMap((s) => s.flows).reduce((n, f) => n + f.steps.length, 0);
  const limit = 2 * steps + 100;
  while (turns.length < limit) {
    const move = nextMove(course, snapshot, lang, finished);
    if (!move) return turns;
    const event = { type: 'TEXT' as const, text: move.send, now: NOW, resumed: false, codeSeed: WALK_SEED };
    const [after, actions] = transition(machine, snapshot, event);
    // As the engine does (steps/learner-flow.ts): the draft notice comes before the machine's replies.
    const notice = draftNotice(noticed, snapshot.context.lang, after.context.lang);
    if (notice) noticed = notice.noticed;
    const said: Said[] = [...(notice ? [notice.said] : []), ...saysOf(actions)];
    const answered = { snapshot: after, said, optedOut: false, completions: [] };
    const next = readAhead(answered, { channel, now: NOW, codeSeed: WALK_SEED });
    snapshot = next.snapshot;
    const left = move.flow && !inFlow(snapshot, move.flow);
    if (left) finished.add(move.flow!);
    turns.push({ ...move, replies: textFor(next.said, channel, runtime) });
  }
  throw new Error(`the walk in ${lang} on ${channel} did not finish the course in ${limit} turns`);
}

type Move = Omit<WalkedTurn, 'replies'>;

/** What the learner sends where they are; null once every flow of every section is finished. */
function nextMove(course: Course, snapshot: Snapshot, lang: Language, finished: Set<string>): Move | null {
  const value = snapshot.value as string | Record<string, string | Record<string, string>>;
  if (value === 'welcome' || value === 'language') {
    return { send: String(LANGUAGES.indexOf(lang) + 1), flow: null, goOn: false };
  }
  const section = course.sections.find((s) => s.flows.some((f) => !finished.has(f.id)));
  if (!section) return null;
  const todo = section.flows.find((f) => !finished.has(f.id))!;
  if (value === 'menu' || value === 'completed') {
    const number = menuItems(course).findIndex((i) => i.kind === 'section' && i.section === section) + 1;
    return { send: String(number), flow: null, goOn: false };
  }
  const [where, inner] = Object.entries(value as object)[0] as [string, string | Record<string, string>];
  if (where === 'list') {
    // The list is numbered across its pages, so any page takes the number of the lesson to do.
    return { send: String(section.flows.indexOf(todo) + 1), flow: todo.id, goOn: false };
  }
  if (where === 'flow' && typeof inner === 'object') {
    const [flowId, stepId] = Object.entries(inner)[0]!;
    const flow = course.flow(flowId)!;
    return { ...answerTo(flow, stepId), flow: flowId };
  }
  throw new Error(`the walk does not know what to send at ${JSON.stringify(value)}`);
}

/** The right answer to a question, the first option of a rating, "1" to go on from reading. */
function answerTo(flow: AnyFlow, stepId: string): { send: string; goOn: boolean } {
  const step = findStep(flow, stepId)?.step;
  if (step?.type === 'question') return { send: String(step.answer), goOn: false };
  return { send: '1', goOn: step?.type === 'message' };
}

function inFlow(snapshot: Snapshot, flowId: string): boolean {
  const value = snapshot.value as Record<string, Record<string, string>> | string;
  return typeof value === 'object' && !!value.flow && flowId in value.flow;
}

/** What the learner sends from first contact to the end of the flow `flowId`, in order. */
export function sendsThrough(turns: WalkedTurn[], flowId: string): string[] {
  const last = turns.findLastIndex((turn) => turn.flow === flowId);
  if (last < 0) throw new Error(`the walk never enters ${flowId}`);
  return turns.slice(0, last + 1).map((turn) => turn.send);
}
