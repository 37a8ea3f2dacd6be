/**
 * When a learner who went quiet mid-lesson is nudged: after each delay of NUDGE_AFTER counted from
 * their last message, moved out of the quiet hours (NUDGE_QUIET_HOURS, local time in TZ) to the
 * morning. Pure: the turn uses it to schedule the first nudge, the nudge worker the next ones.
 */
import type { QuietHours } from '../config.js';
import type { AnyFlow, Course } from '../flows/course.js';
import { describeState } from './describe-state.js';

const HOUR = 60 * 60 * 1000;

export interface NudgeSettings {
  /** delays after the last message, growing, in ms; empty: no nudges */
  delays: number[];
  quiet: QuietHours | null;
  /** the IANA time zone the quiet hours are in */
  tz: string;
}

export class NudgePolicy {
  private readonly localTime: Intl.DateTimeFormat;

  constructor(readonly settings: NudgeSettings) {
    this.localTime = new Intl.DateTimeFormat('en-GB', {
      timeZone: settings.tz,
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
  }

  get enabled(): boolean {
    return this.settings.delays.length > 0;
  }

  /** When nudge `slot` (0, 1, …) after a last message at `base` is due; null past the last one. */
  dueAt(base: number, slot: number): number | null {
    const delay = this.settings.delays[slot];
    if (delay === undefined) return null;
    return this.outOfQuietHours(base + delay);
  }

  /**
   * The slot a due time stands for: the first whose due time is not before it. The due sets
   * hold only a time per learner; the slot follows from it and the learner's last message.
   */
  slotAt(base: number, due: number): number | null {
    for (let slot = 0; slot < this.settings.delays.length; slot++) {
      if ((this.dueAt(base, slot) ?? -Infinity) >= due) return slot;
    }
    return null;
  }

  /**
   * The outbound dedupeKey of a nudge: the slot and the last message's time, in steps no longer
   * than the first delay. A learner's next quiet spell starts after a nudge went (so at least the
   * first delay later) and gets other keys; learners quiet since the same minute share theirs,
   * which keeps the delivery log to a few keys per minute rather than per learner.
   */
  dedupeKey(base: number, slot: number): string {
    const step = Math.min(this.settings.delays[0] ?? 60_000, 60_000);
    return `nudge:${slot}:${Math.floor(base / step)}`;
  }

  /** `at`, or the end of the quiet hours when `at` falls inside them. */
  outOfQuietHours(at: number): number {
    const quiet = this.settings.quiet;
    if (!quiet) return at;
    const { hour, minute, second } = this.clockAt(at);
    if (!isQuiet(quiet, hour)) return at;
    const hoursLeft = (quiet.to - hour + 24) % 24;
    const intoHour = (minute * 60 + second) * 1000 + (at % 1000);
    const end = at + hoursLeft * HOUR - intoHour;
    // Across a change of summer time that many real hours read an hour (or half an hour) more or
    // less on the clock, and the end hour itself may be skipped. The clocks move by at most an
    // hour, so the quiet hours end within an hour either side of `end`: at the earliest of these
    // that reads outside them; when none does, the clocks went back and the night goes on.
    for (const back of [HOUR, HOUR / 2, 0]) {
      const candidate = end - back;
      if (candidate > at && !isQuiet(quiet, this.clockAt(candidate).hour)) return candidate;
    }
    return this.outOfQuietHours(end);
  }

  private clockAt(at: number): { hour: number; minute: number; second: number } {
    // en-GB writes HH:mm:ss. Reading that back costs a fifth of formatToParts(), and every turn
    // mid-lesson asks (the learner's next nudge).
    const [hour = 0, minute = 0, second = 0] = this.localTime.format(at).split(':').map(Number);
    return { hour, minute, second };
  }
}

/** Whether a local hour falls inside the quiet hours (which may run past midnight). */
function isQuiet(quiet: QuietHours, hour: number): boolean {
  return quiet.from > quiet.to
    ? hour >= quiet.from || hour < quiet.to
    : hour >= quiet.from && hour < quiet.to;
}

/** Where a learner stands in a flow: the flow, the step's place (from 1) and how many steps. */
export interface StoppedAt {
  flow: AnyFlow;
  step: number;
  steps: number;
  /** a question or rating waits for an answer, a message for any reply */
  asks: boolean;
}

/**
 * Where the learner stands mid-flow (a lesson or the feasibility check), or null when not in one.
 * `state`: the value described (describeState), when the caller has it already.
 */
export function whereStopped(value: unknown, course: Course, state = describeState(value)): StoppedAt | null {
  const [room, flowId, stepId] = state.split('/');
  if (room !== 'flow' || !flowId || !stepId) return null;
  const flow = course.flow(flowId);
  const index = flow?.steps.findIndex((step) => step.id === stepId) ?? -1;
  if (!flow || index < 0) return null;
  const asks = flow.steps[index]!.type !== 'message';
  return { flow, step: index + 1, steps: flow.steps.length, asks };
}
