// The reused actor scope is only sound for machines without children or timers: others are refused.
import { describe, expect, it } from 'vitest';
import { createMachine, fromPromise, setup } from 'xstate';
import { initialTransition, transition } from '../../src/flows/machine/pure-transition.js';

describe('the pure transition refuses what a shared scope would get wrong', () => {
  it('steps a machine without children or timers', () => {
    const machine = createMachine({ id: 'plain', initial: 'a', states: { a: { on: { GO: 'b' } }, b: {} } });
    const [first] = initialTransition(machine);
    const [next] = transition(machine, first, { type: 'GO' });
    expect(next.value).toBe('b');
  });

  it('refuses a delayed transition, naming the state', () => {
    const machine = createMachine({
      id: 'delays',
      initial: 'a',
      states: { a: { on: { GO: 'b' } }, b: { after: { 1000: 'a' } } },
    });
    expect(() => initialTransition(machine)).toThrow(/state "delays\.b" invokes or delays/);
  });

  it('refuses an invoked child', () => {
    const machine = createMachine({
      id: 'invokes',
      initial: 'a',
      states: { a: { invoke: { src: fromPromise(async () => 1) } } },
    });
    expect(() => initialTransition(machine)).toThrow(/state "invokes\.a" invokes or delays/);
  });

  it('refuses a machine that names actors it may spawn', () => {
    const machine = setup({ actors: { child: fromPromise(async () => 1) } }).createMachine({
      id: 'spawns',
      initial: 'a',
      states: { a: {} },
    });
    expect(() => initialTransition(machine)).toThrow(/machine "spawns" names actors/);
  });
});
