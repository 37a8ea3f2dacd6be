/**
 * xstate's pure transition() and initialTransition(), without their cost per call. Each of
 * xstate's calls builds an inert actor scope around a new Actor, and the Actor's constructor
 * computes the machine's initial state again: that was most of the machine's share of a turn.
 * Here the scope is built once per machine and reused; what one call returns is the same.
 *
 * Reusing it is sound for the machines given here, which spawn, invoke and delay nothing (see
 * compile-machine.ts and machine/; a machine that names actors, invokes or delays is refused at
 * its first step): a call then only reads the scope. Nothing registers in its
 * system (only spawned or invoked children with a systemId do), nothing is scheduled (delayed
 * events go through `defer`, a no-op here, as in xstate's), and no inspector listens. The
 * initial state computed by the one Actor spawns nothing either, which is why its own system can
 * stay (xstate swaps in a fresh one for machines whose initial state does).
 *
 * tests/unit/pure-transition.test.ts walks the whole course with both, in every language and on
 * both channels, and compares every snapshot and action.
 */
import {
  createActor,
  type AnyActorScope,
  type AnyStateMachine,
  type EventFromLogic,
  type ExecutableActionsFrom,
  type SnapshotFrom,
} from 'xstate';

type Step<T extends AnyStateMachine> = [SnapshotFrom<T>, ExecutableActionsFrom<T>[]];
const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

/**
 * Refuses a machine the shared scope would be wrong for: one that invokes, delays or may spawn
 * (it names actors). The learner machine does none of these; a future one that did would fail
 * here, at its first step, rather than share children and timers between learners.
 */
function assertNoChildrenOrDelays(machine: AnyStateMachine): void {
  if (Object.keys(machine.implementations.actors).length > 0) {
    throw new Error(`pure-transition: machine "${machine.id}" names actors; use xstate's transition()`);
  }
  const nodes = [machine.root];
  for (let node = nodes.pop(); node; node = nodes.pop()) {
    if (node.invoke.length > 0 || node.after.length > 0) {
      throw new Error(`pure-transition: state "${node.id}" invokes or delays; use xstate's transition()`);
    }
    nodes.push(...Object.values(node.states));
  }
}

function scopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    assertNoChildrenOrDelays(machine);
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      logger: () => {},
      defer: () => {},
      emit: () => {},
      stopChild: () => {},
      system: self.system,
      actionExecutor: () => {},
    };
    scopes.set(machine, scope);
  }
  return scope;
}

/**
 * Runs one pure step in the machine's shared scope and collects its actions. Each call puts its
 * own collector in the scope before it runs: the step is synchronous and calls no other step, so
 * no two calls ever share a collector.
 */
function collecting<T extends AnyStateMachine>(
  machine: T,
  run: (scope: AnyActorScope) => SnapshotFrom<T>,
): Step<T> {
  const scope = scopeOf(machine);
  const actions: ExecutableActionsFrom<T>[] = [];
  scope.actionExecutor = (action) => {
    actions.push(action as ExecutableActionsFrom<T>);
  };
  return [run(scope), actions];
}

/** As xstate's transition(machine, snapshot, event): the next snapshot and the actions to carry out. */
export function transition<T extends AnyStateMachine>(
  machine: T,
  snapshot: SnapshotFrom<T>,
  event: EventFromLogic<T>,
): Step<T> {
  return collecting(machine, (scope) => machine.transition(snapshot, event, scope) as SnapshotFrom<T>);
}

/** As xstate's initialTransition(machine): the first snapshot and what entering it does. */
export function initialTransition<T extends AnyStateMachine>(machine: T): Step<T> {
  return collecting(machine, (scope) => machine.getInitialSnapshot(scope, undefined) as SnapshotFrom<T>);
}
