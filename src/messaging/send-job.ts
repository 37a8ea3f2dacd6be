/**
 * One send job, in whichever worker takes it: skip it if its recipient already has an outcome,
 * settle a claim an earlier attempt left (reconcile.ts), plan the send (send-plan.ts), wait for
 * the sender's turn (pacer.ts), claim the send, call Twilio (twilio-send.ts) and record the sid,
 * or make what Twilio answered into an outcome or a retry (retry-policy.ts). A secret body is
 * opened (seal.ts) only here, in memory. Once the job is over for good, its data is emptied down
 * to the dedupeKey: the number and the text are kept no longer than the send needs them.
 */
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message.js';
import type { PersonIds } from '../privacy/person-ids.js';
import { maskPhone, parseAddress, type Address, type Channel } from '../privacy/phone.js';
import type { OptOutStore } from '../store/opt-out-store.js';
import type { SenderLock } from '../store/sender-lock.js';
import type { SessionStore } from '../store/session-store.js';
import type { DeliveryLog, SkipReason } from './delivery-log.js';
import type { JobData, JobOutcome, OutboundMessage, WaitingJob } from './outbound-message.js';
import {
  inFlightMsOf,
  ratesOf,
  type OutboundLogger,
  type OutboundSenderOptions,
} from './outbound-options.js';
import type { SenderPacer } from './pacer.js';
import type { PendingSends } from './pending-sends.js';
import { settleClaim } from './reconcile.js';
import { ClaimBusy, isFinalFailure, jobOptions, RetryableSendError, runAttempt } from './retry-policy.js';
import type { Sealer } from './seal.js';
import { planSend } from './send-plan.js';
import { classifySendError, type SendFailure } from './twilio-errors.js';
import { createMessage } from './twilio-send.js';

export interface SendJobDeps {
  opts: OutboundSenderOptions;
  deliveries: DeliveryLog;
  sessions: SessionStore;
  personIds: PersonIds;
  /** opt-outs kept after BORRAR */
  optOuts: OptOutStore;
  /** each learner's messages still waiting */
  pending: PendingSends;
  /** opens secret bodies; null when this sender has no secret to open them with */
  sealer: Sealer | null;
  lock: SenderLock;
  pacer: SenderPacer;
  log: OutboundLogger;
  clock: () => number;
  /** tries in all, for a job handed over to the SMS lane */
  attempts: number;
  /** where a WhatsApp message goes when it falls back to SMS */
  smsQueue: Queue<JobData, JobOutcome>;
  /** enqueues the messages that come after a job's own, in order (OutboundSender.sendInOrder) */
  sendNext: (messages: OutboundMessage[]) => Promise<unknown>;
}

export class SendJobProcessor {
  constructor(private readonly deps: SendJobDeps) {}

  async process(job: Job<JobData, JobOutcome>, lane: Channel, token?: string): Promise<JobOutcome> {
    const data = job.data;
    // Emptied when it finished; run again (its worker died before BullMQ knew): the outcome is in the log.
    if (data.finished) return 'done_before';
    const address = parseAddress(data.to);
    const learner = address ? this.deps.personIds.learnerId(address.phone) : null;
    try {
      if (!address || !learner) throw new UnrecoverableError('bad address in job');
      const outcome = await runAttempt(
        job,
        token,
        () => this.attempt(data, address, learner, lane),
        async (reason) => {
          await this.deps.deliveries.finish(data.dedupeKey, learner, 'failed', `gave_up_${reason}`);
          this.deps.log.error(
            { dedupeKey: data.dedupeKey, to: maskPhone(address.phone), reason },
            'outbound: gave up on a message',
          );
        },
      );
      // Handed over: the SMS lane's job carries the message now (and what comes after it).
      if (outcome !== 'handed_to_sms') await this.sendNext(data);
      await this.finished(job, outcome === 'handed_to_sms' ? null : learner);
      return outcome;
    } catch (error) {
      if (isFinalFailure(job, error)) {
        await this.sendNext(data);
        await this.finished(job, learner);
      }
      throw error;
    }
  }

  /** The job is over for good: the messages queued behind it go now, in order. */
  private async sendNext(data: WaitingJob): Promise<void> {
    if (data.then?.length) await this.deps.sendNext(data.then);
  }

  /**
   * The job is over for good: its data keeps only the dedupeKey, and it no longer waits for its
   * learner (null: leave the learner's pending entry).
   */
  async finished(job: Job<JobData, JobOutcome>, learner: string | null): Promise<void> {
    const { dedupeKey } = job.data;
    await Promise.all([
      // Fails only when the job is gone already (BORRAR took it out of the queue): nothing to empty.
      job.updateData({ dedupeKey, finished: true }).catch(() => undefined),
      learner ? this.deps.pending.remove(learner, dedupeKey) : undefined,
    ]);
  }

  /** A job BullMQ failed without running it (stalled too often): emptied like any other. */
  async failedElsewhere(job: Job<JobData, JobOutcome>): Promise<void> {
    if (job.data.finished) return;
    const address = parseAddress(job.data.to);
    await this.finished(job, address ? this.deps.personIds.learnerId(address.phone) : null);
  }

  /** Opens a secret body, then delivers; a body that cannot be opened fails the message. */
  private async attempt(
    data: WaitingJob,
    address: Address,
    learner: string,
    lane: Channel,
  ): Promise<JobOutcome> {
    if (data.sealedBody === undefined) return this.deliver(data, data, address, learner, lane);
    const body = this.deps.sealer?.open(data.sealedBody) ?? null;
    if (body === null) {
      await this.deps.deliveries.finish(data.dedupeKey, learner, 'failed', 'sealed_body_unreadable');
      return 'failed:sealed_body_unreadable';
    }
    return this.deliver({ ...data, body }, data, address, learner, lane);
  }

  /** `m` the message with its body open; `queued` as the queue holds it (a secret body sealed). */
  private async deliver(
    m: WaitingJob,
    queued: WaitingJob,
    address: Address,
    learner: string,
    lane: Channel,
  ): Promise<JobOutcome> {
    const { deliveries, opts } = this.deps;
    const { dedupeKey } = m;
    const outcome = await deliveries.outcome(dedupeKey, learner);
    if (outcome && outcome !== 'queued') return 'done_before';

    // An earlier attempt claimed this send: settle what became of it before anything else.
    const previous = await deliveries.getClaim(dedupeKey, learner);
    if (previous) {
      const settled = await settleClaim(this.deps, m, address, learner, previous.claim, previous.raw);
      if (settled) return settled;
    }

    const [session, keptOptOut] = await Promise.all([
      this.deps.sessions.load(learner),
      this.deps.optOuts.has(learner),
    ]);
    const recipient = { session, optedOut: keptOptOut || !!session?.optedOut };
    const plan = planSend(m, address, recipient, lane, opts, this.deps.clock);
    if (plan.kind === 'skip') return this.skip(m, learner, plan.reason);
    if (plan.kind === 'handover') {
      // Same job id in the SMS lane: a repeated handover is a no-op.
      const sms: WaitingJob = { ...queued, lane: 'sms' };
      await this.deps.smsQueue.add('send', sms, jobOptions(m, learner, this.deps.attempts));
      return 'handed_to_sms';
    }

    await this.deps.pacer.waitTurn(plan.sender.paceKey, ratesOf(opts)[plan.channel]);
    const claimAt = Date.now(); // Twilio's clock, not the test clock: reconcile compares with it
    const raw = await deliveries.claim(dedupeKey, learner, claimAt, plan.channel);
    if (!raw) throw new ClaimBusy(Date.now() + inFlightMsOf(opts));

    let message: MessageInstance;
    try {
      message = await createMessage(opts.twilio, plan, opts.statusCallbackUrl);
    } catch (error) {
      return this.failed(m, address, learner, raw, claimAt, plan.channel, classifySendError(error));
    }
    await deliveries.recordSent(dedupeKey, learner, { at: claimAt, channel: plan.channel }, message.sid);
    this.deps.log.debug({ dedupeKey, to: maskPhone(address.phone), sid: message.sid }, 'outbound sent');
    return 'sent';
  }

  private async failed(
    m: WaitingJob,
    address: Address,
    learner: string,
    raw: string,
    claimAt: number,
    channel: Channel,
    failure: SendFailure,
  ): Promise<JobOutcome> {
    const { deliveries, log } = this.deps;
    const { dedupeKey } = m;
    const to = maskPhone(address.phone);
    switch (failure.kind) {
      case 'opted_out':
        // Twilio created nothing; the learner said STOP to this number: remember it.
        await deliveries.swapClaim(dedupeKey, learner, raw, null);
        await this.optOut(learner);
        log.info({ dedupeKey, to }, 'outbound: recipient had opted out (21610)');
        return this.skip(m, learner, 'opted_out');
      case 'rejected': {
        await deliveries.swapClaim(dedupeKey, learner, raw, null);
        const reason = `twilio_${failure.code ?? failure.status}`;
        await deliveries.finish(dedupeKey, learner, 'failed', reason);
        log.warn({ dedupeKey, to, reason }, 'outbound: Twilio rejected a message');
        return `failed:${reason}`;
      }
      case 'rate_limited':
        // Refused before anything was created: free the claim for the retry.
        await deliveries.swapClaim(dedupeKey, learner, raw, null);
        throw new RetryableSendError('rate_limited', `Twilio answered 429 (${failure.code ?? 'no code'})`);
      case 'uncertain':
        // The message may exist: the retry asks Twilio before sending again.
        await deliveries.swapClaim(dedupeKey, learner, raw, { at: claimAt, channel, uncertain: true });
        throw new RetryableSendError('uncertain', `no clear answer from Twilio (${failure.detail})`);
    }
  }

  private async skip(m: WaitingJob, learner: string, reason: SkipReason): Promise<JobOutcome> {
    await this.deps.deliveries.finish(m.dedupeKey, learner, 'skipped', reason);
    return `skipped:${reason}`;
  }

  /** The learner texted STOP to our number (Twilio 21610): save optedOut under their turn lock. */
  private async optOut(learner: string): Promise<void> {
    const { lock, sessions } = this.deps;
    await lock.withLock(learner, async () => {
      const session = await sessions.load(learner);
      if (session && !session.optedOut) await sessions.save(learner, { ...session, optedOut: true });
    });
  }
}
