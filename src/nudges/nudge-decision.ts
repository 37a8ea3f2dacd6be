/**
 * What to do with one learner whose nudge time has come, from the learner as they are now: gone
 * (BORRAR), opted out, no longer mid-flow, course finished or in a group whose coordinator
 * turned nudges off: no more nudges (drop); the slot's time not reached (its quiet hours moved
 * it): later; in a group quiz that is running: skip this slot; else send it.
 */
import type { Language } from '../content/locale-schema.js';
import { finishedCourse } from '../conversation/nudge-commands.js';
import { whereStopped, type NudgePolicy } from '../conversation/nudge-policy.js';
import type { Course } from '../flows/course.js';
import type { LearnerContext } from '../flows/learner-context.js';
import type { GroupStore } from '../groups/group-store.js';
import type { QuizStore } from '../groups/quiz/quiz-store.js';
import type { OutboundMessage } from '../messaging/outbound.js';
import type { DueNudge } from '../store/nudge-schedule.js';
import type { SessionStore } from '../store/session-store.js';
import { nudgeBody, nudgeTemplate, type NudgeWords } from './nudge-message.js';

export interface DecisionDeps {
  policy: NudgePolicy;
  sessions: Pick<SessionStore, 'load'>;
  groups: Pick<GroupStore, 'groupOf'>;
  quizStore: Pick<QuizStore, 'current'>;
  course: Course;
  words: NudgeWords;
  smsFallback: boolean;
}

export type Decision =
  | { kind: 'drop' }
  | { kind: 'later'; at: number }
  | { kind: 'skip'; group: string; next: number | null }
  | { kind: 'send'; message: OutboundMessage; group: string | null; next: number | null };

export async function decide(deps: DecisionDeps, { learner, due }: DueNudge, now: number): Promise<Decision> {
  const { policy, course } = deps;
  const session = await deps.sessions.load(learner);
  if (!session || session.optedOut) return { kind: 'drop' };
  const context = session.snapshot.context as LearnerContext;
  const at = whereStopped(session.snapshot.value, course);
  const base = session.lastInboundAt;
  const slot = policy.slotAt(base, due);
  if (!at || slot === null || finishedCourse(context, course)) return { kind: 'drop' };
  const slotDue = policy.dueAt(base, slot) as number;
  if (slotDue > now) return { kind: 'later', at: slotDue };

  const group = await deps.groups.groupOf(learner);
  if (group?.nudgesOff) return { kind: 'drop' };
  const next = policy.dueAt(base, slot + 1);
  if (group && (await deps.quizStore.current(group.id))) return { kind: 'skip', group: group.id, next };

  const lang: Language = context.lang ?? 'es';
  const sms = !session.address.startsWith('whatsapp:');
  const message: OutboundMessage = {
    dedupeKey: policy.dedupeKey(base, slot),
    to: session.address,
    body: nudgeBody(deps.words, lang, at, sms),
    template: sms ? undefined : nudgeTemplate(deps.words, lang, at),
    smsFallback: deps.smsFallback,
  };
  return { kind: 'send', message, group: group?.id ?? null, next };
}
