/**
 * When broadcasts fan out: a BullMQ queue on the app's Redis, so nothing depends on one process
 * staying alive.
 * - now or at `sendAt`: one job (delayed until then) with a fixed id, `fanout-<id>-once`, so
 *   scheduling it twice adds one job;
 * - repeating: a job scheduler `bc-<id>` (upsertJobScheduler with the cron, its time zone and
 *   `until` as endDate). BullMQ keeps the schedule in Redis and adds one job per occurrence,
 *   `repeat:bc-<id>:<ms>`, whichever process and however many workers run; the occurrence is
 *   that time, and the dedupeKey `broadcast:<id>:<ms>` keeps even a repeated job from sending twice.
 * A fan-out job whose worker dies is taken up again by another worker once its lock expires
 * (stalled-job check), and continues from the page cursor its progress saved.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Keyspace } from '../store/keyspace.js';
import {
  createBullRedis,
  warnUnlessRedisAway,
  type RedisClient,
  type RedisTarget,
} from '../store/redis-client.js';
import { ONE_OFF, type Repeat } from './broadcast.js';

export interface FanoutJob {
  id: string;
  /** absent on a scheduler's jobs: the occurrence is the scheduled time */
  occurrence?: string;
}

export interface BroadcastQueueOptions {
  /** where BullMQ's connection goes */
  redisTarget: RedisTarget;
  /** BullMQ's prefix */
  keys: Keyspace;
  /** default 'broadcasts' */
  queueName?: string;
  /** BullMQ worker tuning; the defaults suit production (tests shorten them) */
  worker?: {
    concurrency?: number;
    lockDurationMs?: number;
    stalledIntervalMs?: number;
    maxStalledCount?: number;
  };
  logger?: { warn(obj: object, msg: string): void };
}

const schedulerId = (id: string) => `bc-${id}`;
const oneOffJobId = (id: string) => `fanout-${id}-${ONE_OFF}`;

const JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 1_000 },
  removeOnFail: { age: 30 * 24 * 3600 },
} as const;

export class BroadcastQueue {
  private readonly connection: RedisClient;
  readonly queue: Queue<FanoutJob>;
  private worker: Worker<FanoutJob> | null = null;

  constructor(private readonly options: BroadcastQueueOptions) {
    this.connection = createBullRedis(options.redisTarget);
    this.connection.on('error', () => {});
    this.queue = new Queue<FanoutJob>(options.queueName ?? 'broadcasts', {
      connection: this.connection,
      prefix: options.keys.bullPrefix(),
    });
    this.queue.on('error', warnUnlessRedisAway(options.logger, 'broadcast queue error'));
  }

  /** Fans out at `at` (now if it has passed). */
  async scheduleOnce(id: string, at: number, now = Date.now()): Promise<void> {
    await this.queue.add(
      'fanout',
      { id, occurrence: ONE_OFF },
      { ...JOB_OPTIONS, jobId: oneOffJobId(id), delay: Math.max(0, at - now) },
    );
  }

  /** Fans out at every cron time from `startAt` (or now) until `repeat.until`. */
  async scheduleRepeat(
    id: string,
    repeat: Repeat,
    tz: string,
    startAt: number | null,
  ): Promise<number | null> {
    const job = await this.queue.upsertJobScheduler(
      schedulerId(id),
      {
        pattern: repeat.cron,
        tz,
        endDate: repeat.until,
        ...(startAt !== null ? { startDate: startAt } : {}),
      },
      { name: 'fanout', data: { id }, opts: JOB_OPTIONS },
    );
    return job ? occurrenceTime(job) : null;
  }

  /** Stops what has not started: the scheduler and its next job, or the one-off job if it still waits. */
  async unschedule(id: string): Promise<void> {
    await this.queue.removeJobScheduler(schedulerId(id)).catch(() => false);
    const job = await this.queue.getJob(oneOffJobId(id));
    if (job && ((await job.isDelayed()) || (await job.isWaiting())))
      await job.remove().catch(() => undefined);
  }

  /** When a repeating broadcast fans out next, if it still does. */
  async nextRun(id: string): Promise<number | null> {
    const scheduler = await this.queue.getJobScheduler(schedulerId(id));
    return scheduler?.next ?? null;
  }

  /**
   * Runs fan-out jobs in this process. A run that answers 'interrupted' (the process is closing)
   * puts its job back for a second later, without using up an attempt.
   */
  start(run: (id: string, occurrence: string) => Promise<string>): void {
    if (this.worker) return;
    const tuning = this.options.worker ?? {};
    this.worker = new Worker<FanoutJob>(
      this.queue.name,
      async (job, token) => {
        const result = await run(job.data.id, job.data.occurrence ?? String(occurrenceTime(job)));
        if (result !== 'interrupted') return result;
        await job.moveToDelayed(Date.now() + 1_000, token);
        throw new DelayedError();
      },
      {
        connection: this.connection,
        prefix: this.options.keys.bullPrefix(),
        concurrency: tuning.concurrency ?? 2,
        lockDuration: tuning.lockDurationMs ?? 30_000,
        stalledInterval: tuning.stalledIntervalMs ?? 30_000,
        // A fan-out is safe to take up again: let a few crashes in a row still finish it.
        maxStalledCount: tuning.maxStalledCount ?? 5,
      },
    );
    this.worker.on('error', warnUnlessRedisAway(this.options.logger, 'broadcast worker error'));
    this.worker.on('failed', (job, error) =>
      this.options.logger?.warn(
        { broadcast: job?.data.id, attempt: job?.attemptsMade, err: error.message },
        'broadcast fan-out failed',
      ),
    );
  }

  async close(): Promise<void> {
    await this.worker?.close();
    this.worker = null;
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}

/** A scheduler job's occurrence: the time in its id (`repeat:<scheduler>:<ms>`), else its own. */
function occurrenceTime(job: Job<FanoutJob>): number {
  const fromId = /:(\d+)$/.exec(job.id ?? '')?.[1];
  return Number(fromId ?? job.opts.prevMillis ?? job.timestamp);
}
