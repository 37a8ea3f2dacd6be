// Our transition() and initialTransition() (src/flows/machine/pure-transition.ts) reuse one actor
// scope per machine; xstate's build a new one on every call. Every call made while walking the
// whole course, in each language and on each channel, is made with both and must agree.
import { describe, expect, it, vi } from 'vitest';
import * as xstate from 'xstate';
import { LANGUAGES } from '../../src/content/locale-schema.js';
import { walkCourse } from '../../src/content-tools/course-walk.js';
import type * as Ours from '../../src/flows/machine/pure-transition.js';
import type { LearnerEvent } from '../../src/flows/learner-context.js';
import { realContent } from '../support/content.js';

type Machine = ReturnType<typeof realContent>['machine'];
type Step = [ReturnType<Machine['resolveState']>, { type: string; params?: unknown }[]];

/** Each call's result from ours and from xstate's. */
const calls: { ours: Step; theirs: Step }[] = [];

vi.mock('../../src/flows/machine/pure-transition.js', async (importOriginal) => {
  const ours = await importOriginal<typeof Ours>();
  return {
    transition: (machine: Machine, snapshot: Step[0], event: LearnerEvent) => {
      const result = ours.transition(machine, snapshot, event);
      calls.push({ ours: result, theirs: xstate.transition(machine, snapshot, event) });
      return result;
    },
    initialTransition: (machine: Machine) => {
      const result = ours.initialTransition(machine);
      calls.push({ ours: result, theirs: xstate.initialTransition(machine) });
      return result;
    },
  };
});

/** What a step decides: the snapshot's every field but its machine, and each action's. */
function decided([snapshot, actions]: Step) {
  return {
    value: snapshot.value,
    context: snapshot.context,
    status: snapshot.status,
    output: snapshot.output,
    error: snapshot.error,
    historyValue: snapshot.historyValue,
    children: snapshot.children,
    tags: [...snapshot.tags],
    nodes: snapshot._nodes.map((node) => node.id),
    actions: actions.map((action) => {
      const { info, params, exec } = action as typeof action & {
        info: { context: unknown; event: unknown };
        exec?: unknown;
      };
      return { type: action.type, params, context: info.context, event: info.event, exec: typeof exec };
    }),
  };
}

describe('the pure transition with a reused actor scope', () => {
  for (const channel of ['sms', 'whatsapp'] as const) {
    for (const lang of LANGUAGES) {
      it(`agrees with xstate's on every step of the course walk in ${lang} on ${channel}`, () => {
        calls.length = 0;
        walkCourse(realContent(), lang, channel);
        expect(calls.length).toBeGreaterThan(100);
        for (const { ours, theirs } of calls) expect(decided(ours)).toEqual(decided(theirs));
      });
    }
  }

  it("agrees with xstate's on commands and answers the walk never sends", async () => {
    const { machine } = realContent();
    calls.length = 0;
    const events: LearnerEvent[] = [
      { type: 'HELP' },
      { type: 'TEXT', text: '1', now: 0 },
      { type: 'LANGUAGE' },
      { type: 'TEXT', text: '3', now: 0 },
      { type: 'MENU' },
      { type: 'TEXT', text: '9', now: 0, resumed: true },
      { type: 'TEXT', text: 'no sé', now: 0, codeSeed: () => 'seed' },
    ];
    // Through the mocked module, so that both are called.
    const { initialTransition, transition } = await import('../../src/flows/machine/pure-transition.js');
    let [snapshot] = initialTransition(machine);
    for (const event of events) [snapshot] = transition(machine, snapshot, event);
    expect(calls.length).toBe(events.length + 1);
    for (const { ours, theirs } of calls) expect(decided(ours)).toEqual(decided(theirs));
  });
});
