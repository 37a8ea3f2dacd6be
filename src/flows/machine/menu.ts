/** The main menu: a numbered list of the sections, the assessment, progress and help. */
import type { Course, Section } from '../course.js';
import { backAfterPause, isNumber, say, text, type Transition } from './transitions.js';

/** What each menu number opens, in order: see courseFile in src/content/flow-schema.ts. */
export type MenuItem = { kind: 'section'; section: Section } | { kind: 'assessment' | 'progress' | 'help' };

export function menuItems(course: Course): MenuItem[] {
  const [first, ...others] = course.sections.map((section) => ({ kind: 'section' as const, section }));
  return [
    ...(first ? [first] : []),
    { kind: 'assessment' },
    ...others,
    { kind: 'progress' },
    { kind: 'help' },
  ];
}

export function menuState(course: Course) {
  const items = menuItems(course);
  const choices: Transition[] = items.map((item, i) => {
    const guard = isNumber(items.length, i + 1);
    switch (item.kind) {
      case 'section':
        return { guard, target: `#learner.list.${item.section.id}` };
      case 'assessment':
        return { guard, target: `#learner.flow.${course.assessment.id}` };
      case 'progress':
        return {
          guard,
          actions: [
            say((c) => ({ kind: 'progress', done: c.done, feasibility: c.feasibility, cert: c.cert })),
          ],
        };
      case 'help':
        return { guard, actions: [text('help')] };
    }
  });
  return {
    entry: [text('menu')],
    on: {
      TEXT: [
        ...choices,
        backAfterPause('menu'),
        { actions: [text('reprompt.menu', { count: items.length })] },
      ],
    },
  };
}
