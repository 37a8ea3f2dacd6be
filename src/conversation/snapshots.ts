/**
 * The learner machine's snapshots as the steps need them: a newcomer's first one, one restored
 * from a saved session (migrated when the course changed under it), and the one after a group
 * command.
 */
import { initialTransition } from '../flows/machine/pure-transition.js';
import type { Language } from '../content/locale-schema.js';
import type { LearnerMachine } from '../flows/compile-machine.js';
import type { Course } from '../flows/course.js';
import { initialContext } from '../flows/learner-context.js';
import { migrateSnapshot, type StoredSnapshot } from '../flows/migrate-snapshot.js';
import type { DeskAnswer } from '../groups/group-desk.js';
import type { SessionRecord } from '../store/session-store.js';
import { saysOf, sayText, type Said } from './said.js';

export type Snapshot = ReturnType<LearnerMachine['resolveState']>;
type Restorable = Parameters<LearnerMachine['resolveState']>[0];
export type FlowNotice = 'flow_changed' | 'flow_removed';

type Restored = { snapshot: Snapshot; notice: FlowNotice | null };

export class LearnerSnapshots {
  /**
   * Each loaded record's restored state: a tapped answer is restored by the stale-tap check and
   * again by the lesson in the same turn, and resolving a snapshot is not free. Keyed by the
   * record object, which a turn loads afresh and nothing changes in place.
   */
  private readonly restored = new WeakMap<SessionRecord, Restored>();

  constructor(
    private readonly machine: LearnerMachine,
    private readonly course: Course,
  ) {}

  /** A newcomer's first state, and what entering it says. */
  first(): { snapshot: Snapshot; said: Said[] } {
    const [snapshot, actions] = initialTransition(this.machine);
    return { snapshot, said: saysOf(actions) };
  }

  /** Where the learner is, without moving them: their saved state, or the first one. */
  current(record: SessionRecord | null): Snapshot {
    return record ? this.restore(record).snapshot : initialTransition(this.machine)[0];
  }

  restore(record: SessionRecord): Restored {
    let restored = this.restored.get(record);
    if (!restored) {
      restored = this.resolve(record);
      this.restored.set(record, restored);
    }
    return restored;
  }

  private resolve(record: SessionRecord): Restored {
    const { machine, course } = this;
    let stored: StoredSnapshot = record.snapshot;
    let notice: FlowNotice | null = null;
    if (record.flowVersion !== course.version) {
      const migrated = migrateSnapshot(record.snapshot, course);
      stored = migrated.snapshot;
      notice = migrated.notice;
    }
    try {
      return { snapshot: machine.resolveState(stored as Restorable), notice };
    } catch {
      // A snapshot that even migration could not place: keep the learner's data, start at the menu.
      const migrated = migrateSnapshot({ ...stored, value: 'menu' }, course);
      return { snapshot: machine.resolveState(migrated.snapshot as Restorable), notice: 'flow_removed' };
    }
  }

  /**
   * The learner's state after a group command: unchanged, except that a newcomer who joined a
   * group skips the language choice and lands on the menu in the group's language.
   */
  afterDesk(
    record: SessionRecord | null,
    answer: DeskAnswer,
    lang: Language,
  ): { snapshot: Snapshot; said: Said[] } {
    if (record?.snapshot.context.lang) {
      const snapshot = this.restore(record).snapshot;
      return { snapshot, said: answer.replies.map((reply) => ({ lang, reply })) };
    }
    if (answer.lang) {
      const joinedIn = answer.lang;
      const context = { ...initialContext(), ...record?.snapshot.context, lang: joinedIn };
      const snapshot = this.machine.resolveState({ value: 'menu', context });
      const said = [...answer.replies.map((reply) => ({ lang: joinedIn, reply })), sayText(joinedIn, 'menu')];
      return { snapshot, said };
    }
    const first = this.first();
    return {
      snapshot: first.snapshot,
      said: [...answer.replies.map((reply) => ({ lang, reply })), ...first.said],
    };
  }
}
