/**
 * Finds due nudges and hands them to the outbound sender. It polls every `pollMs` (a nudge goes
 * out within that of its time), reading each bucket of due times a page at a time: no timer per
 * learner. Any number of processes may run it: two that pick the same learner enqueue the same
 * message (same dedupeKey, same recipient), which the sender takes once; the due time moves on
 * only if no turn changed it meanwhile. A process killed between the two re-reads the learner
 * and enqueues the same message again, which the sender again takes once.
 *
 * At send time it looks at the learner as they are now: gone (BORRAR), opted out, no longer
 * mid-flow, course finished or in a group whose coordinator turned nudges off: no more nudges;
 * in a group quiz that is running: this nudge is skipped and counted.
 */
import type { Language } from '../content/locale-schema.js';
import { finishedCourse } from '../conversation/nudge-commands.js';
import { whereStopped, type NudgePolicy } from '../conversation/nudge-policy.js';
import type { Course } from '../flows/course.js';
import type { LearnerContext } from '../flows/learner-context.js';
import type { GroupStore } from '../groups/group-store.js';
import type { QuizStore } from '../groups/quiz/quiz-store.js';
import type { OutboundMessage, SendResult } from '../messaging/outbound.js';
import type { DueNudge, NudgeSchedule } from '../store/nudge-schedule.js';
import type { NudgeStats } from '../store/nudge-stats.js';
import type { SessionStore } from '../store/session-store.js';
import { nudgeBody, nudgeTemplate, type NudgeWords } from './nudge-message.js';

export interface NudgeWorkerDeps {
  policy: NudgePolicy;
  schedule: NudgeSchedule;
  stats: NudgeStats;
  sessions: SessionStore;
  groups: Pick<GroupStore, 'groupOf'>;
  quizStore: Pick<QuizStore, 'current'>;
  course: Course;
  words: NudgeWords;
  sender: { send(message: OutboundMessage): Promise<SendResult> };
  /** NUDGE_SMS_FALLBACK: a WhatsApp learner outside the window without a template gets an SMS */
  smsFallback: boolean;
  clock: () => number;
  pollMs: number;
  pageSize?: number;
  log?: { warn(obj: object, msg: string): void };
}

/** What became of one due learner, for tests and the benchmark. */
export type NudgeOutcome = 'queued' | 'duplicate' | 'later' | 'skipped' | 'dropped' | 'raced';

export class NudgeWorker {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly pageSize: number;

  constructor(private readonly deps: NudgeWorkerDeps) {
    this.pageSize = deps.pageSize ?? 500;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedulePoll();
  }

  /** Stops polling and waits for the round in progress. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedulePoll(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce()
        .then(() => undefined)
        .catch((error: Error) => this.deps.log?.warn({ err: error.message }, 'nudge poll failed'))
        .finally(() => this.schedulePoll());
    }, this.deps.pollMs);
  }

  /** One round over every bucket: every learner due by now, a page at a time. */
  async pollOnce(): Promise<Record<NudgeOutcome, number>> {
    const tally: Record<NudgeOutcome, number> = {
      queued: 0,
      duplicate: 0,
      later: 0,
      skipped: 0,
      dropped: 0,
      raced: 0,
    };
    const now = this.deps.clock();
    for (let bucket = 0; bucket < this.deps.schedule.buckets; bucket++) {
      for (;;) {
        const page = await this.deps.schedule.due(bucket, now, this.pageSize);
        const outcomes = await Promise.all(page.map((due) => this.nudge(due, now)));
        for (const outcome of outcomes) tally[outcome]++;
        // Every entry of a page moved out of reach of `now` (or a turn moved it): read on.
        if (page.length < this.pageSize || this.stopped) break;
      }
    }
    return tally;
  }

  private async nudge({ learner, due }: DueNudge, now: number): Promise<NudgeOutcome> {
    const { policy, schedule } = this.deps;
    const session = await this.deps.sessions.load(learner);
    const context = session?.snapshot.context as LearnerContext | undefined;
    const at = session ? whereStopped(session.snapshot.value, this.deps.course) : null;
    const slot = session ? policy.slotAt(session.lastInboundAt, due) : null;
    if (
      !session ||
      !context ||
      !at ||
      session.optedOut ||
      slot === null ||
      finishedCourse(context, this.deps.course)
    ) {
      return (await schedule.move(learner, due, null)) ? 'dropped' : 'raced';
    }
    const base = session.lastInboundAt;
    const slotDue = policy.dueAt(base, slot) as number;
    if (slotDue > now) return (await schedule.move(learner, due, slotDue)) ? 'later' : 'raced';

    const group = await this.deps.groups.groupOf(learner);
    if (group?.nudgesOff) return (await schedule.move(learner, due, null)) ? 'dropped' : 'raced';
    let outcome: NudgeOutcome;
    if (group && (await this.deps.quizStore.current(group.id))) {
      outcome = 'skipped';
      await this.deps.stats.count('skipped', now, group.id);
    } else {
      outcome = await this.send(session.address, context, at, policy.dedupeKey(base, slot));
      if (outcome === 'queued') {
        await this.deps.stats.count('sent', now, group?.id ?? null);
        await this.deps.stats.markNudged(learner, now, group?.id ?? null);
      }
    }
    const moved = await schedule.move(learner, due, policy.dueAt(base, slot + 1));
    return moved ? outcome : outcome === 'queued' ? outcome : 'raced';
  }

  private async send(
    address: string,
    context: LearnerContext,
    at: NonNullable<ReturnType<typeof whereStopped>>,
    dedupeKey: string,
  ): Promise<NudgeOutcome> {
    const lang: Language = context.lang ?? 'es';
    const { words } = this.deps;
    const sms = !address.startsWith('whatsapp:');
    const result = await this.deps.sender.send({
      dedupeKey,
      to: address,
      body: nudgeBody(words, lang, at, sms),
      template: sms ? undefined : nudgeTemplate(words, lang, at),
      smsFallback: this.deps.smsFallback,
    });
    return result;
  }
}
