import { transition } from '../../flows/machine/pure-transition.js';
import type { LearnerEvent } from '../../flows/learner-context.js';
import type { CompletionParams } from '../../flows/reply.js';
import type { Keyword } from '../../reading/keywords.js';
import type { StepDeps } from '../deps.js';
import { draftNotice } from '../draft-notice.js';
import { effectsOf, saysOf, sayText, type Said } from '../said.js';
import type { Next, Turn } from '../turn.js';

type Deps = Pick<StepDeps, 'machine' | 'snapshots' | 'coordinators' | 'resumeAfterMs' | 'personIds'>;

/**
 * The lesson answers: a newcomer is welcomed, anyone else's message moves the learner machine
 * one step. The machine is pure (transition(), flows/machine/pure-transition.ts); its effects come
 * back as actions.
 */
export async function learnerFlow(turn: Turn, deps: Deps): Promise<Next> {
  const { record, keyword, lang, now } = turn;
  // No session but opted out: STOP, then BORRAR; START opts back in and starts afresh.
  if (!record) {
    return { ...deps.snapshots.first(), optedOut: turn.optedOut && keyword !== 'start', completions: [] };
  }

  const restored = deps.snapshots.restore(record);
  const resumed = restored.notice !== null || now - record.lastInboundAt > deps.resumeAfterMs;
  const event = toEvent(keyword, turn.message.body, now, resumed, () =>
    deps.personIds.completionSeed(turn.learner),
  );
  const restarted = keyword === 'start' && turn.optedOut;
  const said: Said[] = [];
  if (restarted) said.push(sayText(lang, 'restarted'));
  if (restored.notice) said.push(sayText(lang, restored.notice));
  const [snapshot, actions] = transition(deps.machine, restored.snapshot, event);
  const notice = draftNotice(record.draftNoticed, restored.snapshot.context.lang, snapshot.context.lang);
  if (notice) said.push(notice.said);
  said.push(...saysOf(actions));
  if (keyword === 'help' && (await deps.coordinators.isCoordinator(turn.who.phone))) {
    said.push(sayText(lang, 'coordinator_help'));
  }
  return {
    snapshot,
    said,
    optedOut: turn.optedOut && !restarted,
    completions: effectsOf<CompletionParams>(actions, 'recordCompletion'),
    draftNoticed: notice?.noticed,
  };
}

function toEvent(
  keyword: Keyword | null,
  text: string,
  now: number,
  resumed: boolean,
  codeSeed: () => string,
): LearnerEvent {
  switch (keyword) {
    case 'menu':
    case 'start':
      return { type: 'MENU' };
    case 'help':
      return { type: 'HELP' };
    case 'language':
      return { type: 'LANGUAGE' };
    default:
      return { type: 'TEXT', text, now, resumed, codeSeed };
  }
}
