/**
 * What a turn tells the nudges, sent beside the save script in the same socket write (ioredis
 * auto-pipelining), so the turn waits for no extra round trip: the learner's next nudge time
 * (mid-lesson) or none, and whether this message answers a nudge of the last 24 hours. Neither
 * rides in the save script: the due sets and the counters are shared by many learners and sit
 * in other Redis Cluster slots.
 */
import type { Course } from '../flows/course.js';
import type { LearnerContext } from '../flows/learner-context.js';
import type { NudgeSchedule } from '../store/nudge-schedule.js';
import type { NudgeStats } from '../store/nudge-stats.js';
import type { NudgePolicy, StoppedAt } from './nudge-policy.js';
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
    const { context } = next.snapshot;
    const waits =
      nudges.policy.enabled && !next.optedOut && !finishedCourse(context, course) && stopped !== null;
    const due = waits ? nudges.policy.dueAt(turn.now, 0) : null;
    const scheduled =
      due === null ? nudges.schedule.clear(turn.learner) : nudges.schedule.set(turn.learner, due);
    // The counter goes after the answer, without the turn waiting for it.
    const back = nudges.stats.takeMark(turn.learner).then((mark) => {
      if (mark) void nudges.stats.count('back', turn.now, mark.group).catch(() => undefined);
    });
    return Promise.all([scheduled, back]);
  };
}
