/**
 * The course as the engine sees it: the ordered lessons, the assessment, and a version that
 * changes whenever a flow changes, so a saved session knows whether it needs migrating.
 */
import { createHash } from 'node:crypto';
import type { AssessmentFlow, LessonFlow, Step } from '../content/flow-schema.js';
import type { LoadedContent } from '../content/load-content.js';

export interface Course {
  lessons: LessonFlow[];
  assessment: AssessmentFlow;
  /** Short hash of the course and every flow's id and version. */
  version: string;
  flow(id: string): LessonFlow | AssessmentFlow | undefined;
}

export function buildCourse(content: LoadedContent): Course {
  const byId = new Map([...content.flows.values()].map(({ flow }) => [flow.id, flow]));
  const lessons = content.course.lessons.map((id) => {
    const flow = byId.get(id);
    if (!flow || flow.kind !== 'lesson')
      throw new Error(`flows/course.yaml names lesson ${id}, which is not a lesson flow`);
    return flow;
  });
  const assessment = byId.get(content.course.assessment);
  if (!assessment || assessment.kind !== 'assessment') {
    throw new Error(
      `flows/course.yaml names assessment ${content.course.assessment}, which is not an assessment flow`,
    );
  }
  const signature = [
    `course@${content.course.version}`,
    ...[...lessons, assessment].map((flow) => `${flow.id}@${flow.version}`),
  ].join(',');
  const version = createHash('sha256').update(signature).digest('base64url').slice(0, 10);
  const flows = new Map<string, LessonFlow | AssessmentFlow>([...lessons, assessment].map((f) => [f.id, f]));
  return { lessons, assessment, version, flow: (id) => flows.get(id) };
}

/** A flow key without a namespace belongs to the flow's own namespace. */
export function qualifyKey(flowId: string, key: string): string {
  return key.includes(':') ? key : `${flowId}:${key}`;
}

export function findStep(
  flow: LessonFlow | AssessmentFlow,
  stepId: string,
): { step: Step; index: number } | undefined {
  const index = flow.steps.findIndex((s) => s.id === stepId);
  return index < 0 ? undefined : { step: flow.steps[index] as Step, index };
}
