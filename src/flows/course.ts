/**
 * The course as the engine sees it: sections of lessons, the assessment, the section that earns a
 * completion code, and a version that changes whenever a flow changes, so a saved session knows
 * whether it needs migrating.
 */
import { createHash } from 'node:crypto';
import type { AssessmentFlow, LessonFlow, Step } from '../content/flow-schema.js';
import type { LoadedContent } from '../content/load-content.js';

export type AnyFlow = LessonFlow | AssessmentFlow;

export interface Section {
  id: string;
  title: string;
  flows: AnyFlow[];
  /** the list split into pages of `pageSize` lessons */
  pages: AnyFlow[][];
}

export interface Course {
  sections: Section[];
  /** every lesson, in the order of the sections */
  lessons: LessonFlow[];
  assessment: AssessmentFlow;
  completion: Section | undefined;
  /** Short hash of the course and every flow's id and version. */
  version: string;
  flow(id: string): AnyFlow | undefined;
  /** the section that lists a flow, and the flow's position in it */
  sectionOf(flowId: string): { section: Section; index: number } | undefined;
}

export function buildCourse(content: LoadedContent): Course {
  const byId = new Map([...content.flows.values()].map(({ flow }) => [flow.id, flow]));
  const assessment = byId.get(content.course.assessment);
  if (!assessment || assessment.kind !== 'assessment') {
    throw new Error(
      `flows/course.yaml names assessment ${content.course.assessment}, which is not an assessment flow`,
    );
  }
  const pageSize = content.course.pageSize;
  const sections: Section[] = content.course.sections.map((section) => {
    const flows = section.lessons.map((id) => {
      const flow = byId.get(id);
      if (!flow) throw new Error(`flows/course.yaml: section ${section.id} names ${id}, which is not a flow`);
      return flow;
    });
    const pages: AnyFlow[][] = [];
    for (let i = 0; i < flows.length; i += pageSize) pages.push(flows.slice(i, i + pageSize));
    return { id: section.id, title: section.title, flows, pages };
  });
  const lessons = [...new Set(sections.flatMap((s) => s.flows))].filter(
    (f): f is LessonFlow => f.kind === 'lesson',
  );
  const flows = new Map<string, AnyFlow>([...lessons, assessment].map((f) => [f.id, f]));
  const signature = [
    `course@${content.course.version}`,
    ...[...flows.values()].map((flow) => `${flow.id}@${flow.version}`),
  ].join(',');
  const version = createHash('sha256').update(signature).digest('base64url').slice(0, 10);
  return {
    sections,
    lessons,
    assessment,
    completion: sections.find((s) => s.id === content.course.completion),
    version,
    flow: (id) => flows.get(id),
    sectionOf: (flowId) => {
      for (const section of sections) {
        const index = section.flows.findIndex((f) => f.id === flowId);
        if (index >= 0) return { section, index };
      }
      return undefined;
    },
  };
}

/** A flow key without a namespace belongs to the flow's own namespace. */
export function qualifyKey(flowId: string, key: string): string {
  return key.includes(':') ? key : `${flowId}:${key}`;
}

export function findStep(flow: AnyFlow, stepId: string): { step: Step; index: number } | undefined {
  const index = flow.steps.findIndex((s) => s.id === stepId);
  return index < 0 ? undefined : { step: flow.steps[index] as Step, index };
}

/** Where a step leads: its `next`, else the following step, else the end of the flow. */
export function nextStepOf(flow: AnyFlow, index: number): string {
  const step = flow.steps[index] as Step;
  if (step.next) return step.next === 'end' ? 'done' : step.next;
  return flow.steps[index + 1]?.id ?? 'done';
}
