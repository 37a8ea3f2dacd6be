/**
 * Brings a saved learner snapshot up to the current course after a content deploy. A learner
 * standing on a step that was removed or renamed resumes at the step the flow's `formerSteps`
 * names, or else at the step that now holds the old step's position; a learner in a flow that
 * no longer exists goes back to the menu. Nothing here throws on old data: a snapshot that still
 * cannot be restored falls back to the menu with the learner's language and progress kept.
 */
import type { AssessmentFlow, LessonFlow } from '../content/flow-schema.js';
import type { Course } from './course.js';
import type { Bookmark, LearnerContext } from './learner-context.js';
import { initialContext } from './learner-context.js';

export interface StoredSnapshot {
  value: unknown;
  context: LearnerContext;
}

export interface Migration {
  snapshot: StoredSnapshot;
  /** what to tell the learner, if anything moved under them */
  notice: 'flow_changed' | 'flow_removed' | null;
}

function resolveStep(
  flow: LessonFlow | AssessmentFlow,
  stepId: string,
  index: number,
): { s: string; i: number } {
  const at = flow.steps.findIndex((s) => s.id === stepId);
  if (at >= 0) return { s: stepId, i: at };
  const renamed = flow.formerSteps?.[stepId];
  const renamedAt = renamed ? flow.steps.findIndex((s) => s.id === renamed) : -1;
  if (renamedAt >= 0) return { s: renamed as string, i: renamedAt };
  const i = Math.max(0, Math.min(index, flow.steps.length - 1));
  return { s: (flow.steps[i] as { id: string }).id, i };
}

export function migrateSnapshot(stored: StoredSnapshot, course: Course): Migration {
  const context: LearnerContext = { ...initialContext(), ...stored.context };
  let notice: Migration['notice'] = null;

  const marks: Record<string, Bookmark> = {};
  for (const [flowId, mark] of Object.entries(context.marks ?? {})) {
    const flow = course.flow(flowId);
    if (!flow) continue;
    marks[flowId] = { ...mark, ...resolveStep(flow, mark.s, mark.i) };
  }
  const assessmentSteps = new Set(course.assessment.steps.map((s) => s.id));
  const points = Object.fromEntries(
    Object.entries(context.points ?? {}).filter(([step]) => assessmentSteps.has(step)),
  );

  let value = stored.value;
  const inFlow = typeof value === 'object' && value !== null ? (value as { flow?: unknown }).flow : undefined;
  if (typeof inFlow === 'object' && inFlow !== null) {
    const [flowId, stepId] = Object.entries(inFlow)[0] ?? [];
    const flow = flowId ? course.flow(flowId) : undefined;
    if (!flow || typeof stepId !== 'string') {
      value = context.lang ? 'menu' : 'welcome';
      notice = 'flow_removed';
    } else {
      const mark = marks[flow.id];
      const resolved = resolveStep(flow, stepId, mark?.i ?? 0);
      if (resolved.s !== stepId) notice = 'flow_changed';
      marks[flow.id] = { r: mark?.r ?? 0, ...resolved };
      value = { flow: { [flow.id]: resolved.s } };
    }
  } else if (!['welcome', 'language', 'menu', 'lessons'].includes(String(value))) {
    value = context.lang ? 'menu' : 'welcome';
  }
  return { snapshot: { value, context: { ...context, marks, points } }, notice };
}
