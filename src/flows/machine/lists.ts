/** The lesson lists: one state per page of a section, numbered across pages, 0 for the next page. */
import type { AnyFlow, Course, Section } from '../course.js';
import { backAfterPause, isNumber, say, text } from './transitions.js';

export function listStates(section: Section) {
  const count = section.flows.length;
  const states: Record<string, object> = {};
  section.pages.forEach((_, page) => {
    const here = `p${page + 1}`;
    const more = `p${((page + 1) % section.pages.length) + 1}`;
    states[here] = {
      entry: [say((c) => ({ kind: 'lessons', section: section.id, page, done: Object.keys(c.done) }))],
      on: {
        TEXT: [
          ...section.flows.map((flow, i) => ({
            guard: isNumber(count, i + 1),
            target: `#learner.flow.${flow.id}`,
          })),
          ...(section.pages.length > 1 ? [{ guard: 'isMore', target: more, reenter: true }] : []),
          backAfterPause(here),
          { actions: [text('reprompt.lessons', { count })] },
        ],
      },
    };
  });
  return { initial: 'p1', states };
}

/** The list page that shows a flow's section after it: the next lesson is in view. */
export function listAfter(course: Course, flow: AnyFlow): string {
  const found = course.sectionOf(flow.id);
  if (!found) return '#learner.menu';
  const nextIndex = Math.min(found.index + 1, found.section.flows.length - 1);
  return `#learner.list.${found.section.id}.p${Math.floor(nextIndex / found.section.pages[0]!.length) + 1}`;
}
