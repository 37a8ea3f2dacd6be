/**
 * How a send job is retried: 429 / 20429 / 5xx / timeouts come back after an exponential backoff
 * with jitter, up to the job's attempts, and the last failed attempt is recorded as given up. A
 * send another attempt may still have in flight waits instead, without using up an attempt.
 */
import { DelayedError, UnrecoverableError, type Job, type JobsOptions } from 'bullmq';
import { jobIdOf, type JobData, type JobOutcome, type OutboundMessage } from './outbound-message.js';
import type { OutboundSenderOptions } from './outbound-options.js';

/** The backoff type of every send job; the workers' backoffStrategy computes it with backoff(). */
const BACKOFF_TYPE = 'ayni-jitter';

/**
 * Another attempt's send may still be in flight: come back at `until` (not a failure, so it
 * does not use up an attempt).
 */
export class ClaimBusy extends Error {
  constructor(readonly until: number) {
    super('an earlier attempt may still be sending');
    this.name = 'ClaimBusy';
  }
}

/** A retryable failure: BullMQ retries the job after the backoff. */
export class RetryableSendError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'RetryableSendError';
  }
}

/** `learner`: the recipient's id (PersonIds.learnerId), never the number. */
export function jobOptions(m: OutboundMessage, learner: string, attempts: number): JobsOptions {
  return {
    // Deterministic: enqueueing the same message twice while the first job exists is a no-op.
    jobId: jobIdOf(m.dedupeKey, learner),
    attempts,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 7 * 24 * 3600 },
    // A reply goes to the front of its lane, ahead of broadcasts and quizzes waiting there.
    ...(m.reply ? { lifo: true } : {}),
  };
}

/** Whether this failure ends the job for good: no attempt comes after it. */
export function isFinalFailure(job: Job<JobData, JobOutcome>, error: unknown): boolean {
  if (error instanceof DelayedError) return false;
  return error instanceof UnrecoverableError || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoff(attemptsMade: number, retry: OutboundSenderOptions['retry']): number {
  const base = retry?.baseDelayMs ?? 1_000;
  const max = retry?.maxDelayMs ?? 60_000;
  const delay = Math.min(max, base * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(delay / 2 + Math.random() * (delay / 2));
}

/**
 * Runs one attempt of a job. A busy claim puts the job back until the claim may be settled; on
 * the last attempt, a failure other than an unrecoverable one is handed to `giveUp` with its
 * reason before BullMQ records the job as failed.
 */
export async function runAttempt(
  job: Job<JobData, JobOutcome>,
  token: string | undefined,
  attempt: () => Promise<JobOutcome>,
  giveUp: (reason: string) => Promise<void>,
): Promise<JobOutcome> {
  const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof ClaimBusy) {
      await job.moveToDelayed(error.until, token);
      throw new DelayedError();
    }
    if (lastTry && !(error instanceof UnrecoverableError)) {
      await giveUp(error instanceof RetryableSendError ? error.reason : 'error');
    }
    throw error;
  }
}
