import { certificatePathOf } from '../../replies/certificate.js';
import { picturePathOf } from '../../replies/pictures.js';
import { interactiveNameOf } from '../../replies/whatsapp-content.js';
import { REMEMBERED_MESSAGE_IDS, type SessionRecord } from '../../store/session-store.js';
import type { TurnOutcome } from '../../store/session-turns.js';
import type { StepDeps } from '../deps.js';
import { describeState } from '../describe-state.js';
import { funnelEvents } from '../funnel-events.js';
import { nudgeCommands } from '../nudge-commands.js';
import { whereStopped } from '../nudge-policy.js';
import { lastTextOf, textFor } from '../said.js';
import type { Said } from '../said.js';
import { resultOf, type Next, type Turn, type TurnPicture, type TurnResult } from '../turn.js';

type Deps = Pick<
  StepDeps,
  'completions' | 'course' | 'optOuts' | 'render' | 'spelling' | 'nudges' | 'funnel'
>;

/**
 * The one step that keeps what a turn decided: records the completions the lesson awarded, lets
 * an opt-out kept after BORRAR go when the learner opted back in, writes the replies for the
 * channel and builds the session to save (with this message's id, so a retried delivery is
 * answered as before).
 */
export async function commit(turn: Turn, next: Next, deps: Deps): Promise<TurnOutcome<TurnResult>> {
  for (const earned of next.completions) {
    await deps.completions.record({ ...earned, learner: turn.learner });
  }
  if (turn.optedOut && !next.optedOut) await deps.optOuts.release(turn.learner);
  const { record, message } = turn;
  const replies = textFor(next.said, message.address.channel, deps);
  const save: SessionRecord = {
    flowVersion: deps.course.version,
    snapshot: { value: next.snapshot.value, context: next.snapshot.context },
    address: message.address.raw,
    lastInboundAt: turn.now,
    optedOut: next.optedOut,
    turns: (record?.turns ?? 0) + 1,
    seen: [...(record?.seen ?? []), message.messageSid].slice(-REMEMBERED_MESSAGE_IDS),
    lastReplies: replies,
    lastText: next.keepsLastText
      ? record?.lastText
      : (lastTextOf(next.said, deps.course) ?? record?.lastText),
    draftNoticed: next.draftNoticed ?? record?.draftNoticed,
  };
  // On WhatsApp the last reply may go as buttons, and replies may bring pictures (turn-delivery.ts).
  const whatsapp = message.address.channel === 'whatsapp';
  const last = whatsapp ? next.said.at(-1) : undefined;
  const state = describeState(next.snapshot.value);
  const value = resultOf(turn, replies, state, {
    interactive: last ? interactiveNameOf(last.reply, last.lang, deps.course) : null,
    pictures: whatsapp ? picturesOf(next.said, deps) : [],
  });
  return { value, save, along: along(turn, next, state, deps) };
}

/** The pictures the replies bring: a lesson step's, the certificate just earned. */
function picturesOf(said: Said[], deps: Pick<Deps, 'course' | 'render'>): TurnPicture[] {
  return said.flatMap(({ reply, lang }) => {
    const path = picturePathOf(reply, lang, deps.course) ?? certificatePathOf(reply, lang);
    const near = path ? deps.render(reply, lang)[0]?.slice(0, 40) : undefined;
    return path && near ? [{ path, near }] : [];
  });
}

/**
 * The nudge schedule and the funnel counters (neither for a console test chat), sent beside the save script in the same socket
 * write: the turn waits for no extra round trip (src/store/session-turns.ts).
 */
function along(turn: Turn, next: Next, state: string, deps: Deps): (() => Promise<unknown>) | undefined {
  if (turn.message.rehearsal) return undefined;
  const { funnel } = deps;
  // Where the learner stands now, found once for both.
  const stopped = deps.nudges || funnel ? whereStopped(next.snapshot.value, deps.course, state) : null;
  const nudges = deps.nudges ? nudgeCommands(turn, next, stopped, deps.nudges, deps.course) : null;
  const events = funnel ? funnelEvents(turn, next, stopped, deps.course, funnel.reader) : [];
  if (!nudges && events.length === 0) return undefined;
  return () => {
    const tags = {
      lang: next.snapshot.context.lang ?? 'es',
      channel: turn.message.address.channel,
      group: turn.group,
    };
    const counted = funnel && events.length > 0 ? funnel.store.count(turn.now, events, tags) : null;
    return Promise.all([nudges?.(), counted]);
  };
}
