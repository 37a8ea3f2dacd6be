/**
 * Compiles the course (flows/*.yaml) into one XState machine per learner:
 *
 *   welcome ─▶ menu ─┬─▶ list.<section>.p<n> ─▶ flow.<lesson>.resume ─▶ step … ─▶ done ─▶ list
 *                    ├─▶ flow.<assessment>.resume ─▶ step … step ─▶ done ─▶ menu
 *                    └─ progress, help (answered in place)
 *   language (IDIOMA at any point) ─▶ menu
 *   a lesson that completes the completion section ─▶ completed ─▶ menu
 *
 * machine/setup.ts names every action and guard; the other files in machine/ build the states.
 * The machine never writes text: its `say` actions carry Reply descriptors that the engine renders.
 */
import type { Course } from './course.js';
import { initialContext } from './learner-context.js';
import type { AnswerReader } from './machine/answer-reader.js';
import { completedState } from './machine/completed-state.js';
import { flowStates } from './machine/flow-states.js';
import { languageState, welcomeState } from './machine/language-states.js';
import { listStates } from './machine/lists.js';
import { menuState } from './machine/menu.js';
import { DEFAULT_TIME_ZONE, learnerSetup } from './machine/setup.js';
import { text } from './machine/transitions.js';

// The machine's names its users need, from the one file that compiles it.
export type { AnswerReader, AmountReading } from './machine/answer-reader.js';
export { menuItems, type MenuItem } from './machine/menu.js';
export { DEFAULT_TIME_ZONE, WRONG_ANSWERS_BEFORE_REVEAL } from './machine/setup.js';

export function compileLearnerMachine(course: Course, reader: AnswerReader, timeZone = DEFAULT_TIME_ZONE) {
  const flows: Record<string, object> = {};
  for (const flow of [...course.lessons, course.assessment]) flows[flow.id] = flowStates(course, flow);
  const lists: Record<string, object> = {};
  for (const section of course.sections) lists[section.id] = listStates(section);

  const config = {
    id: 'learner',
    context: initialContext,
    initial: 'welcome',
    on: {
      MENU: [
        { guard: 'hasLanguage', target: '.menu', reenter: true },
        { target: '.welcome', reenter: true },
      ],
      LANGUAGE: { target: '.language', reenter: true },
      HELP: { actions: [text('help')] },
    },
    states: {
      welcome: welcomeState(),
      language: languageState(),
      menu: menuState(course),
      list: { initial: course.sections[0]!.id, states: lists },
      flow: { initial: course.assessment.id, states: flows },
      completed: completedState(course),
    },
  };
  const learner = learnerSetup(course, reader, timeZone);
  type MachineConfig = Parameters<typeof learner.createMachine>[0];
  return learner.createMachine(config as MachineConfig);
}

export type LearnerMachine = ReturnType<typeof compileLearnerMachine>;
