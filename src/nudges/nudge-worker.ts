/**
 * Finds due nudges and hands them to the outbound sender. It polls every `pollMs` (a nudge goes
 * out within that of its time), reading each bucket of due times a page at a time: no timer per
 * learner. A page's nudges are enqueued together (one bulk add). Any number of processes may run
 * it: two that pick the same learner enqueue the same message (same dedupeKey, same recipient),
 * which the sender takes once; a due time moves on only if no turn changed it meanwhile. A
 * process killed between enqueueing and moving on leaves the time as it was: the next round
 * enqueues the same message again, which the sender again takes once.
 */
import type { OutboundMessage, SendResult } from '../messaging/outbound.js';
import type { DueNudge, NudgeSchedule } from '../store/nudge-schedule.js';
import type { NudgeStats } from '../store/nudge-stats.js';
import { decide, type Decision, type DecisionDeps } from './nudge-decision.js';

export interface NudgeWorkerDeps extends DecisionDeps {
  schedule: NudgeSchedule;
  stats: NudgeStats;
  sender: { sendMany(messages: readonly OutboundMessage[]): Promise<SendResult[]> };
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

  /** One round over every bucket (side by side): every learner due by now, a page at a time. */
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
    const buckets = Array.from({ length: this.deps.schedule.buckets }, (_, bucket) => bucket);
    await Promise.all(
      buckets.map(async (bucket) => {
        for (;;) {
          const page = await this.deps.schedule.due(bucket, now, this.pageSize);
          for (const outcome of await this.handlePage(page, now)) tally[outcome]++;
          // Every entry of a page moved out of reach of `now` (or a turn moved it): read on.
          if (page.length < this.pageSize || this.stopped) break;
        }
      }),
    );
    return tally;
  }

  /** Decides for each learner of the page, enqueues the page's nudges at once, then moves each on. */
  private async handlePage(page: DueNudge[], now: number): Promise<NudgeOutcome[]> {
    const decisions = await Promise.all(page.map((due) => decide(this.deps, due, now)));
    const sends = decisions.flatMap((d, i) => (d.kind === 'send' ? [{ d, due: page[i]! }] : []));
    const results = sends.length ? await this.deps.sender.sendMany(sends.map(({ d }) => d.message)) : [];
    const sent = new Map<DueNudge, SendResult>(sends.map(({ due }, i) => [due, results[i] ?? 'duplicate']));
    return Promise.all(page.map((due, i) => this.settle(due, decisions[i]!, sent.get(due), now)));
  }

  /** Counts what happened to one learner and moves their due time on (unless a turn moved it). */
  private async settle(
    due: DueNudge,
    decision: Decision,
    result: SendResult | undefined,
    now: number,
  ): Promise<NudgeOutcome> {
    const { schedule, stats } = this.deps;
    const move = (next: number | null) => schedule.move(due.learner, due.due, next);
    switch (decision.kind) {
      case 'drop':
        return (await move(null)) ? 'dropped' : 'raced';
      case 'later':
        return (await move(decision.at)) ? 'later' : 'raced';
      case 'skip':
        await stats.count('skipped', now, decision.group);
        await move(decision.next);
        return 'skipped';
      case 'send':
        if (result === 'queued') {
          await Promise.all([
            stats.count('sent', now, decision.group),
            stats.markNudged(due.learner, now, decision.group),
          ]);
        }
        await move(decision.next);
        return result ?? 'duplicate';
    }
  }
}
