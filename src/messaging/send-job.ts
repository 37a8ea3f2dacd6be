/**
 * One send job, in whichever worker takes it: skip it if its recipient already has an outcome,
 * settle a claim an earlier attempt left (reconcile.ts), plan the send (send-plan.ts), wait for
 * the sender's turn (pacer.ts), claim the send, call Twilio (twilio-send.ts) and record the sid,
 * or make what Twilio answered into an outcome or a retry (retry-policy.ts).
 */
import { UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message.js';
import type { PersonIds } from '../privacy/person-ids.js';
import { maskPhone, parseAddress, type Address, type Channel } from '../privacy/phone.js';
import type { SenderLock } from '../store/sender-lock.js';
import type { SessionStore } from '../store/session-store.js';
import type { DeliveryLog, SkipReason } from './delivery-log.js';
import type { JobData, JobOutcome } from './outbound-message.js';
import {
  inFlightMsOf,
  ratesOf,
  type OutboundLogger,
  type OutboundSenderOptions,
} from './outbound-options.js';
import type { SenderPacer } from './pacer.js';
import { settleClaim } from './reconcile.js';
import { ClaimBusy, jobOptions, RetryableSendError, runAttempt } from './retry-policy.js';
import { planSend } from './send-plan.js';
import { classifySendError, type SendFailure } from './twilio-errors.js';
import { createMessage } from './twilio-send.js';

export interface SendJobDeps {
  opts: OutboundSenderOptions;
  deliveries: DeliveryLog;
  sessions: SessionStore;
  personIds: PersonIds;
  lock: SenderLock;
  pacer: SenderPacer;
  log: OutboundLogger;
  clock: () => number;
  /** tries in all, for a job handed over to the SMS lane */
  attempts: number;
  /** where a WhatsApp message goes when it falls back to SMS */
  smsQueue: Queue<JobData, JobOutcome>;
}

export class SendJobProcessor {
  constructor(private readonly deps: SendJobDeps) {}

  async process(job: Job<JobData, JobOutcome>, lane: Channel, token?: string): Promise<JobOutcome> {
    const m = job.data;
    const address = parseAddress(m.to);
    if (!address) throw new UnrecoverableError('bad address in job');
    const learner = this.deps.personIds.learnerId(address.phone);
    return runAttempt(
      job,
      token,
      () => this.deliver(m, address, learner, lane),
      async (reason) => {
        await this.deps.deliveries.finish(m.dedupeKey, learner, 'failed', `gave_up_${reason}`);
        this.deps.log.error(
          { dedupeKey: m.dedupeKey, to: maskPhone(address.phone), reason },
          'outbound: gave up on a message',
        );
      },
    );
  }

  private async deliver(m: JobData, address: Address, learner: string, lane: Channel): Promise<JobOutcome> {
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

    const session = await this.deps.sessions.load(learner);
    const plan = planSend(m, address, session, lane, opts, this.deps.clock);
    if (plan.kind === 'skip') return this.skip(m, learner, plan.reason);
    if (plan.kind === 'handover') {
      // Same job id in the SMS lane: a repeated handover is a no-op.
      await this.deps.smsQueue.add('send', { ...m, lane: 'sms' }, jobOptions(m, learner, this.deps.attempts));
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
    m: JobData,
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

  private async skip(m: JobData, learner: string, reason: SkipReason): Promise<JobOutcome> {
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
