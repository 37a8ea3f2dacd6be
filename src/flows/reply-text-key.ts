/**
 * Which text of the content a reply shows, as `namespace:key` (`what-is-a-cooperative:intro`,
 * `common:menu`): what a learner's `CORREGIR` points at. A step names its own text; its feedback
 * names the explanation or hint; everything else is a text of common.yaml.
 */
import { findStep, qualifyKey, type Course } from './course.js';
import type { Reply } from './reply.js';

const COMMON_OF: Partial<Record<Reply['kind'], string>> = {
  welcome: 'welcome',
  lessons: 'lessons_list',
  completed: 'completed',
  lessonDone: 'lesson_done',
  progress: 'progress',
  feasibility: 'feasibility.result',
  quizStart: 'quiz_start',
  quizResult: 'quiz_result',
  quizEnd: 'quiz_end',
  quizSummary: 'quiz_summary',
};

export function textKeyOf(reply: Reply, course: Course): string | null {
  if (reply.kind === 'text') return `common:${reply.key}`;
  if (reply.kind === 'step' || reply.kind === 'right' || reply.kind === 'reveal' || reply.kind === 'wrong') {
    const flow = course.flow(reply.flow);
    const step = flow && findStep(flow, reply.step)?.step;
    if (!flow || !step) return null;
    if (reply.kind === 'step') return qualifyKey(flow.id, step.text);
    if (step.type !== 'question') return null;
    const key = reply.kind === 'wrong' ? step.hint : step.explanation;
    return key ? qualifyKey(flow.id, key) : null;
  }
  const common = COMMON_OF[reply.kind];
  return common ? `common:${common}` : null;
}
