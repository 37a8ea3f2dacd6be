/**
 * What a turn tells the nudges, sent beside the save script in the same socket write (ioredis
 * auto-pipelining), so the turn waits for no extra round trip: the learner's next nudge time
 * (mid-lesson) or none, and, when this message answers a nudge of the last 24 hours (the mark the
 * lock-and-load script took, Turn.nudged), a comeback. Neither rides in the save script: the due
 * sets and the counters are shared by many learners and sit in other Redis Cluster slots.
 */
import type { Course } from '../flows/course.js';
import type { LearnerContext } from '../flows/learner-context.js';
import type { NudgeSchedule } from '../store/nudge-schedule.js';
import type { NudgeStats } from '../store/nudge-stats.js';
import { whereStopped, type NudgePolicy, type StoppedAt } from './nudge-policy.js';
import type { Next, Turn } from './turn.js';

export interface TurnNudges {
  policy: NudgePolicy;
  schedule: NudgeSchedule;
  stats: NudgeStats;
}

/** Whether the learner has finished every lesson of the course: then they get no nudge. */
export function finishedCourse(context: LearnerContext, course: Course): boolean {
  return course.lessons.every((lesson) => context.done[lesson.id]);
}

/**
 * Whether a learner in this state waits for a nudge: mid-lesson (`stoppedAt`, asked last since
 * it is the dearest), not opted out, course not finished.
 */
function waitsForNudge(
  context: LearnerContext,
  optedOut: boolean,
  course: Course,
  stoppedAt: () => StoppedAt | null,
): boolean {
  return !optedOut && !finishedCourse(context, course) && stoppedAt() !== null;
}

/**
 * The commands, to be issued right after the save script, in the same tick. `stopped`: where the
 * learner stands after the turn (whereStopped).
 */
export function nudgeCommands(
  turn: Turn,
  next: Next,
  stopped: StoppedAt | null,
  nudges: TurnNudges,
  course: Course,
): () => Promise<unknown> {
  return () => {
    const waits =
      nudges.policy.enabled && waitsForNudge(next.snapshot.context, next.optedOut, course, () => stopped);
    const due = waits ? nudges.policy.dueAt(turn.now, 0) : null;
    // Only a turn puts a learner in the due sets (the worker moves or removes them), so when the
    // saved session waited for no nudge, its turn cleared them, as a rule. The rule can fail (a
    // clear that failed, a save that lost its lock after these commands went out, nudges off
    // meanwhile, a content deploy); what makes that harmless is the worker, which decides from the
    // session as it is when the time comes and drops the time (src/nudges/nudge-decision.ts).
    const saved = turn.record;
    const waited =
      due === null &&
      saved !== null &&
      waitsForNudge(saved.snapshot.context as LearnerContext, saved.optedOut, course, () =>
        whereStopped(saved.snapshot.value, course),
      );
    const scheduled =
      due !== null
        ? nudges.schedule.set(turn.learner, due)
        : waited
          ? nudges.schedule.clear(turn.learner)
          : null;
    // The counter goes with the answer, without the turn waiting for it.
    if (turn.nudged) void nudges.stats.count('back', turn.now, turn.nudged.group).catch(() => undefined);
    return Promise.resolve(scheduled);
  };
}
