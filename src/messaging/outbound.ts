/**
 * The outbound sender: everything Ayni sends on its own initiative (group quiz questions and
 * results, broadcasts, reminders) goes through a BullMQ queue on the app's Redis and out through
 * the real twilio client. Replies to a learner's own message are not sent here: they go back as
 * TwiML in the webhook's answer, so a broadcast in progress never delays a reply.
 *
 * Guarantees, with any number of processes on one Redis:
 * - paced per sender number (pacer.ts), at `rates.sms` / `rates.whatsapp` messages per second;
 * - 429 / 20429 / 5xx / timeouts retried with exponential backoff and jitter, up to `attempts`,
 *   then recorded as failed (retry-policy.ts); 21610 (the number texted STOP) marks the learner
 *   opted out;
 * - at most once per (dedupeKey, recipient), even if a worker dies mid-send: a deterministic job
 *   id, a claim (SET NX) taken just before calling Twilio, the MessageSid stored once Twilio
 *   accepts, and, for a claim left without a sid, a look at Twilio's message list before sending
 *   (reconcile.ts);
 * - never to a learner who opted out or deleted their data, checked when the message goes out,
 *   nor, for any kind of message, to a number that sent STOP before BORRAR;
 * - job data (the number, the text) kept only until the job is over for good, a secret body
 *   (a login code) only sealed, and a learner's waiting jobs taken out on BORRAR;
 * - on WhatsApp outside the 24-hour window: the approved template, or SMS, or skipped (send-plan.ts).
 *
 * This file enqueues and runs the workers; what a worker does with one job is in send-job.ts.
 *
 * Two queues, one per channel ("lanes"), so that a long backlog of 1/s SMS never holds the
 * workers the 80/s WhatsApp sender needs.
 */
import { hostname } from 'node:os';
import { Queue, Worker, type JobsOptions } from 'bullmq';

import type { PersonIds } from '../privacy/person-ids.js';
import type { Channel } from '../privacy/phone.js';
import type { OptOutStore } from '../store/opt-out-store.js';
import { createBullRedis, warnUnlessRedisAway, type RedisClient } from '../store/redis-client.js';
import type { SenderLock } from '../store/sender-lock.js';
import type { SessionStore } from '../store/session-store.js';
import type { DeliveryLog } from './delivery-log.js';
import {
  checkMessage,
  jobIdOf,
  type JobData,
  type JobOutcome,
  type OutboundMessage,
  type SendResult,
  type WaitingJob,
} from './outbound-message.js';
import { ratesOf, silent, type OutboundLogger, type OutboundSenderOptions } from './outbound-options.js';
import type { SenderPacer } from './pacer.js';
import type { PendingSends } from './pending-sends.js';
import { backoff, jobOptions } from './retry-policy.js';
import { Sealer } from './seal.js';
import { SendJobProcessor } from './send-job.js';

// The sender's public names, where the rest of the app has always imported them from.
export {
  jobIdOf,
  type JobOutcome,
  type OutboundMessage,
  type OutboundTemplate,
  type SendResult,
} from './outbound-message.js';
export type { OutboundLogger, OutboundSenderOptions, SenderStores } from './outbound-options.js';
export { RetryableSendError } from './retry-policy.js';

export class OutboundSender {
  readonly deliveries: DeliveryLog;
  private readonly opts: OutboundSenderOptions;
  private readonly bullRedis: RedisClient;
  private readonly queues: Record<Channel, Queue<JobData, JobOutcome>>;
  private readonly workers: Worker<JobData, JobOutcome>[] = [];
  private readonly sessions: SessionStore;
  private readonly personIds: PersonIds;
  private readonly optOuts: OptOutStore;
  private readonly pending: PendingSends;
  private readonly sealer: Sealer | null;
  private readonly lock: SenderLock;
  private readonly pacer: SenderPacer;
  private readonly log: OutboundLogger;
  private readonly attempts: number;
  private readonly clock: () => number;

  constructor(options: OutboundSenderOptions) {
    this.opts = options;
    this.sessions = options.stores.sessions;
    this.personIds = options.stores.personIds;
    this.optOuts = options.stores.optOuts;
    this.pending = options.stores.pendingSends;
    this.sealer = options.sealKey ? new Sealer(options.sealKey) : null;
    this.lock = options.stores.senderLock;
    this.deliveries = options.stores.deliveries;
    this.pacer = options.stores.pacer;
    this.log = options.logger ?? silent;
    this.attempts = options.retry?.attempts ?? 8;
    this.clock = options.clock ?? Date.now;
    // BullMQ blocks on this connection and must never give up on a command (its own rule).
    this.bullRedis = createBullRedis(options.redisTarget);
    this.bullRedis.on('error', (error: Error) =>
      this.log.debug({ err: error.message }, 'outbound redis error'),
    );
    const base = options.queueName ?? 'outbound';
    const queueOpts = { connection: this.bullRedis, prefix: options.stores.keyspace.bullPrefix() };
    this.queues = {
      sms: new Queue<JobData, JobOutcome>(`${base}-sms`, queueOpts),
      whatsapp: new Queue<JobData, JobOutcome>(`${base}-whatsapp`, queueOpts),
    };
    for (const queue of Object.values(this.queues)) {
      queue.on('error', warnUnlessRedisAway(this.log, 'outbound queue error'));
    }
  }

  /** Enqueues one message; 'duplicate' if this dedupeKey already went (or is going) to this recipient. */
  async send(message: OutboundMessage): Promise<SendResult> {
    const [result] = await this.sendMany([message]);
    return result ?? 'duplicate';
  }

  /** Enqueues a fan-out (one message per recipient) in bulk; results in the same order. */
  async sendMany(messages: readonly OutboundMessage[]): Promise<SendResult[]> {
    const checked = messages.map((m) => {
      const address = checkMessage(m);
      return { m, address, learner: this.personIds.learnerId(address.phone), data: this.jobData(m) };
    });
    const results: SendResult[] = [];
    const toAdd: Record<Channel, { name: string; data: JobData; opts: JobsOptions }[]> = {
      sms: [],
      whatsapp: [],
    };
    // Registered before being enqueued: if this process dies in between, calling send again
    // enqueues it (the outcome is still 'queued'); a recipient already finished is not re-sent.
    const previous = await Promise.all(
      checked.map(({ m, learner }) => this.deliveries.markQueued(m.dedupeKey, learner)),
    );
    const waiting: { learner: string; dedupeKey: string }[] = [];
    checked.forEach(({ m, address, learner, data }, i) => {
      const prev = previous[i];
      results.push(prev === 'new' ? 'queued' : 'duplicate');
      if (prev === 'new' || prev === 'queued') {
        waiting.push({ learner, dedupeKey: m.dedupeKey });
        toAdd[address.channel].push({ name: 'send', data, opts: jobOptions(m, learner, this.attempts) });
      }
    });
    await this.pending.add(waiting);
    for (const channel of ['sms', 'whatsapp'] as const) {
      const jobs = toAdd[channel];
      for (let i = 0; i < jobs.length; i += 500) {
        await this.queues[channel].addBulk(jobs.slice(i, i + 500));
      }
    }
    return results;
  }

  /**
   * Messages to one recipient that must arrive in order (a turn's text bubbles, then its buttons):
   * the first is enqueued now as a reply (ahead of waiting messages), each next one once the one
   * before it is over, whatever became of it.
   */
  async sendInOrder(messages: readonly OutboundMessage[]): Promise<SendResult> {
    const [first, ...rest] = messages;
    if (!first) return 'duplicate';
    return this.send({ ...first, reply: true, ...(rest.length ? { then: rest } : {}) });
  }

  /** The job's data: the message, with a secret body sealed. */
  private jobData({ secret, ...message }: OutboundMessage): WaitingJob {
    if (!secret) return message;
    if (!this.sealer) throw new Error('outbound: a secret message needs the sender’s sealKey');
    const { body, ...rest } = message;
    return { ...rest, sealedBody: this.sealer.seal(body ?? '') };
  }

  /**
   * BORRAR: takes the learner's waiting send jobs (they hold the number and the text) out of the
   * queue and records them skipped (`deleted`). A job a worker is running is left to finish: it
   * goes or is skipped, and is emptied when it ends.
   */
  async forgetRecipient(learner: string): Promise<void> {
    for (const dedupeKey of await this.pending.of(learner)) {
      const jobId = jobIdOf(dedupeKey, learner);
      let takenOut = true;
      for (const queue of Object.values(this.queues)) {
        const state = await queue.getJobState(jobId);
        if (state === 'active') takenOut = false;
        // 0: a worker took it meanwhile (a running job is locked and cannot be removed).
        else if (state !== 'unknown' && (await queue.remove(jobId)) === 0) takenOut = false;
      }
      if (takenOut) await this.deliveries.finish(dedupeKey, learner, 'skipped', 'deleted');
    }
    await this.pending.forget(learner);
  }

  /** Starts this process's workers (one per lane). */
  start(): void {
    if (this.workers.length > 0) return;
    const rates = ratesOf(this.opts);
    const jobs = new SendJobProcessor({
      opts: this.opts,
      deliveries: this.deliveries,
      sessions: this.sessions,
      personIds: this.personIds,
      optOuts: this.optOuts,
      pending: this.pending,
      sealer: this.sealer,
      lock: this.lock,
      pacer: this.pacer,
      log: this.log,
      clock: this.clock,
      attempts: this.attempts,
      smsQueue: this.queues.sms,
      sendNext: (messages) => this.sendInOrder(messages),
    });
    for (const lane of ['sms', 'whatsapp'] as const) {
      const worker = new Worker<JobData, JobOutcome>(
        this.queues[lane].name,
        (job, token) => jobs.process(job, lane, token),
        {
          connection: this.bullRedis,
          prefix: this.opts.stores.keyspace.bullPrefix(),
          name: this.opts.workerName ?? `${hostname()}:${process.pid}`,
          concurrency:
            this.opts.concurrency?.[lane] ?? Math.min(100, Math.max(2, Math.ceil(rates[lane] / 2))),
          lockDuration: this.opts.worker?.lockDurationMs ?? 30_000,
          stalledInterval: this.opts.worker?.stalledIntervalMs ?? 30_000,
          maxStalledCount: this.opts.worker?.maxStalledCount ?? 2,
          settings: { backoffStrategy: (attemptsMade: number) => backoff(attemptsMade, this.opts.retry) },
        },
      );
      worker.on('error', warnUnlessRedisAway(this.log, 'outbound worker error'));
      worker.on('failed', (job, error) => {
        this.log.warn(
          { lane, dedupeKey: job?.data.dedupeKey, attempt: job?.attemptsMade, err: error.message },
          'outbound send failed',
        );
        // Failed for good without the processor deciding it (a job that stalled too often).
        if (job?.finishedOn) void jobs.failedElsewhere(job).catch(() => undefined);
      });
      this.workers.push(worker);
    }
  }

  /** Waits for the jobs in flight, then closes workers, queues and BullMQ's connection. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    this.workers.length = 0;
    await Promise.all(Object.values(this.queues).map((q) => q.close()));
    await this.bullRedis.quit().catch(() => this.bullRedis.disconnect());
  }

  /** The BullMQ queue of a lane, for tests and dashboards. */
  queue(lane: Channel): Queue<JobData, JobOutcome> {
    return this.queues[lane];
  }
}
