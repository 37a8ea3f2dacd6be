/**
 * Where the flow decides. One turn for one inbound message, inside the learner's lock (one Redis
 * script locks and loads the session, another saves it and unlocks):
 *
 *   duplicate ─▶ forget ─▶ opt-out ─▶ stale tap ─▶ suggestion ─▶ group channel ─▶ certificate name
 *     ─▶ learner flow ─▶ join-code fallback ─▶ read ahead ─▶ commit
 *
 * Each step in steps/ decides or passes. A duplicate (a MessageSid handled before, however long
 * ago) or BORRAR settles the turn with nothing to save; any other message ends in the commit
 * step, which builds the one session record saved.
 */
import { detectKeyword } from '../reading/keywords.js';
import type { Loaded, TurnOutcome } from '../store/session-turns.js';
import type { EngineDeps, StepDeps } from './deps.js';
import { LearnerSnapshots } from './snapshots.js';
import { certificateName } from './steps/certificate-name.js';
import { commit } from './steps/commit.js';
import { duplicate } from './steps/duplicate.js';
import { forget } from './steps/forget.js';
import { groupChannel } from './steps/group-channel.js';
import { joinCodeFallback } from './steps/join-code-fallback.js';
import { learnerFlow } from './steps/learner-flow.js';
import { optOut } from './steps/opt-out.js';
import { createReadAhead, type ReadAhead } from './steps/read-ahead.js';
import { staleTap } from './steps/stale-tap.js';
import { suggestion } from './steps/suggestion.js';
import type { InboundMessage, Next, Turn, TurnResult } from './turn.js';

export type { EngineDeps } from './deps.js';
export type { InboundMessage, TurnResult } from './turn.js';

/** After six hours away, a learner is welcomed back to the step they were on. */
const DEFAULT_RESUME_AFTER_MS = 6 * 60 * 60 * 1000;

export class ConversationEngine {
  private readonly clock: () => number;
  private readonly steps: StepDeps;
  private readonly readAhead: ReadAhead;

  constructor(deps: EngineDeps) {
    const { clock, resumeAfterMs, ...rest } = deps;
    this.clock = clock ?? Date.now;
    this.steps = {
      ...rest,
      resumeAfterMs: resumeAfterMs ?? DEFAULT_RESUME_AFTER_MS,
      snapshots: new LearnerSnapshots(deps.machine, deps.course),
    };
    this.readAhead = createReadAhead(this.steps);
  }

  async handle(message: InboundMessage): Promise<TurnResult> {
    const id = this.steps.personIds.learnerId(message.address.phone);
    return this.steps.turns.run(id, message.messageSid, (loaded) => this.turn(id, message, loaded));
  }

  private async turn(
    learner: string,
    message: InboundMessage,
    loaded: Loaded,
  ): Promise<TurnOutcome<TurnResult>> {
    // Without a session, the learner may still be opted out: STOP, then BORRAR.
    const optedOut = loaded.record ? loaded.record.optedOut : await this.steps.optOuts.has(learner);
    const turn = this.read(learner, message, loaded, optedOut);
    const { steps } = this;
    const settled = duplicate(turn) ?? (await forget(turn, steps));
    if (settled) return settled;
    const next =
      optOut(turn, steps) ??
      staleTap(turn, steps) ??
      (await suggestion(turn, steps)) ??
      (await groupChannel(turn, steps)) ??
      (await certificateName(turn, steps)) ??
      (await this.lesson(turn));
    return commit(turn, next, steps);
  }

  /** What the turn knows before any step runs. */
  private read(
    learner: string,
    message: InboundMessage,
    { record, group, replayed, nudged }: Loaded,
    optedOut: boolean,
  ): Turn {
    const now = this.clock();
    const lang = record?.snapshot.context.lang ?? 'es';
    return {
      learner,
      message,
      record,
      group,
      replayed,
      nudged,
      keyword: detectKeyword(message.body, this.steps.lexicon),
      lang,
      optedOut,
      who: { learner, phone: message.address.phone, lang },
      now,
    };
  }

  /**
   * The lesson answers, unless it understood nothing and the message was a join code; a reading
   * step is followed by the next ones the channel can carry in the same turn.
   */
  private async lesson(turn: Turn): Promise<Next> {
    const answered = await learnerFlow(turn, this.steps);
    const joined = await joinCodeFallback(turn, answered, this.steps);
    if (joined) return joined;
    const { personIds } = this.steps;
    const at = {
      channel: turn.message.address.channel,
      now: turn.now,
      codeSeed: () => personIds.completionSeed(turn.learner),
    };
    return this.readAhead(answered, at);
  }
}
