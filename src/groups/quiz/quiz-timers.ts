/**
 * When each group-quiz question closes: a BullMQ delayed job per question, so the timeout fires
 * even if every app process restarted in between, and fires once however many workers run.
 * "Everyone answered" promotes the same job to run now instead of adding another.
 */
import { Queue, Worker } from 'bullmq';
import { createBullRedis, type RedisClient, type RedisTarget } from '../../store/redis-client.js';
import type { Keyspace } from '../../store/keyspace.js';

export interface CloseJob {
  groupId: string;
  quizId: string;
  index: number;
}

// BullMQ job ids may not contain ':'.
const jobId = (job: CloseJob) => `close-${job.quizId}-${job.index}`;

export class QuizTimers {
  private readonly connection: RedisClient;
  private readonly queue: Queue<CloseJob>;
  private worker: Worker<CloseJob> | null = null;

  constructor(private readonly options: { redisTarget: RedisTarget; keys: Keyspace; queueName?: string }) {
    this.connection = createBullRedis(options.redisTarget);
    this.connection.on('error', () => {});
    this.queue = new Queue<CloseJob>(options.queueName ?? 'quiz-timers', {
      connection: this.connection,
      prefix: options.keys.bullPrefix(),
      defaultJobOptions: {
        removeOnComplete: 1000,
        removeOnFail: 1000,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      },
    });
    this.queue.on('error', () => {});
  }

  async schedule(job: CloseJob, delayMs: number): Promise<void> {
    await this.queue.add('close', job, { jobId: jobId(job), delay: delayMs });
  }

  /** Closes the question now if its timer has not fired yet. */
  async closeNow(job: CloseJob): Promise<void> {
    const found = await this.queue.getJob(jobId(job));
    if (found && (await found.isDelayed())) await found.promote().catch(() => undefined);
  }

  start(close: (job: CloseJob) => Promise<void>): void {
    if (this.worker) return;
    this.worker = new Worker<CloseJob>(this.queue.name, (job) => close(job.data), {
      connection: this.connection,
      prefix: this.options.keys.bullPrefix(),
      concurrency: 4,
    });
    this.worker.on('error', () => {});
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    await this.connection.quit().catch(() => this.connection.disconnect());
  }
}
