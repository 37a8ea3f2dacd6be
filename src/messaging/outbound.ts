/**
 * The outbound sender: everything Ayni sends on its own initiative (group quiz questions and
 * results, broadcasts, reminders) goes through a BullMQ queue on the app's Redis and out through
 * the real twilio client. Replies to a learner's own message are not sent here: they go back as
 * TwiML in the webhook's answer, so a broadcast in progress never delays a reply.
 *
 * Guarantees, with any number of processes on one Redis:
 * - paced per sender number (pacer.ts), at `rates.sms` / `rates.whatsapp` messages per second;
 * - 429 / 20429 / 5xx / timeouts retried with exponential backoff and jitter, up to `attempts`,
 *   then recorded as failed; 21610 (the number texted STOP) marks the learner opted out;
 * - at most once per (dedupeKey, recipient), even if a worker dies mid-send: a deterministic job
 *   id, a claim (SET NX) taken just before calling Twilio, the MessageSid stored once Twilio
 *   accepts, and, for a claim left without a sid, a look at Twilio's message list before sending;
 * - never to a learner who opted out or deleted their data, checked when the message goes out;
 * - on WhatsApp outside the 24-hour window: the approved template, or SMS, or skipped.
 *
 * Two queues, one per channel ("lanes"), so that a long backlog of 1/s SMS never holds the
 * workers the 80/s WhatsApp sender needs.
 */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { DelayedError, Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { Redis } from 'ioredis';
import type twilio from 'twilio';
import type {
  MessageInstance,
  MessageListInstanceCreateOptions,
} from 'twilio/lib/rest/api/v2010/account/message.js';
import { learnerId, maskPhone, parseAddress, type Address, type Channel } from '../privacy/phone.js';
import type { Keyspace } from '../store/keyspace.js';
import type { SenderLock } from '../store/sender-lock.js';
import type { SessionRecord, SessionStore } from '../store/session-store.js';
import { assertDedupeKey, type DeliveryLog, type SendClaim, type SkipReason } from './delivery-log.js';
import type { SenderPacer } from './pacer.js';
import { classifySendError, type SendFailure } from './twilio-errors.js';

export interface OutboundTemplate {
  /** an approved Content template, HX… */
  contentSid: string;
  /** the template's placeholders: { '1': 'Ana', '2': 'mañana 10:00' } */
  variables?: Record<string, string>;
}

export interface OutboundMessage {
  /**
   * What this message is, e.g. `broadcast:123` or `quiz:abc:q2`: with the recipient it identifies
   * the message, which is sent at most once. Letters, digits and `:_.-`, at most 200.
   */
  dedupeKey: string;
  /** +591… for SMS, whatsapp:+591… for WhatsApp */
  to: string;
  /** free text; on WhatsApp only inside the 24-hour window */
  body?: string;
  /** sent on WhatsApp outside the window (or whenever there is no body) */
  template?: OutboundTemplate;
  /** WhatsApp outside the window without a template: send `body` by SMS instead of skipping */
  smsFallback?: boolean;
  /** send even to a number with no session (a coordinator who never wrote); default false */
  allowUnknownRecipient?: boolean;
}

export type SendResult = 'queued' | 'duplicate';

/** What the worker did with a job, as the job's return value. */
export type JobOutcome =
  | 'sent'
  | 'already_sent'
  | 'reconciled'
  | 'handed_to_sms'
  | 'done_before'
  | `skipped:${SkipReason}`
  | `failed:${string}`;

interface JobData extends OutboundMessage {
  /** set when a WhatsApp message falls back to SMS and moves to the SMS lane */
  lane?: Channel;
}

export interface OutboundLogger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** What the sender reads and writes in Redis, built once from the keyspace (src/plugins/create-stores.ts). */
export interface SenderStores {
  /** BullMQ's prefix */
  keyspace: Keyspace;
  /** the learner's session: opted out, channel, the WhatsApp window */
  sessions: SessionStore;
  /** the learner's turn lock, to save an opt-out (21610) */
  senderLock: SenderLock;
  /** claims, outcomes and counters */
  deliveries: DeliveryLog;
  pacer: SenderPacer;
}

export interface OutboundSenderOptions {
  stores: SenderStores;
  /** BullMQ gets its own connection to this URL (it needs maxRetriesPerRequest: null) */
  redisUrl: string;
  /** base name of the queues (`<name>-sms`, `<name>-whatsapp`); default 'outbound' */
  queueName?: string;
  /** the real twilio client, from createTwilioClient */
  twilio: twilio.Twilio;
  /** TWILIO_SMS_FROM */
  smsFrom?: string | undefined;
  /** TWILIO_WHATSAPP_FROM (with or without the whatsapp: prefix) */
  whatsappFrom?: string | undefined;
  /** TWILIO_MESSAGING_SERVICE_SID, used for a channel that has no From */
  messagingServiceSid?: string | undefined;
  /** PUBLIC_URL + '/twilio/status', sent with every message */
  statusCallbackUrl?: string | undefined;
  /** messages per second per sender; defaults 1 (SMS long code) and 80 (WhatsApp) */
  rates?: { sms?: number; whatsapp?: number };
  /** jobs in flight per lane and process; default about half a second's worth of the rate */
  concurrency?: { sms?: number; whatsapp?: number };
  retry?: {
    /** tries in all, default 8 */
    attempts?: number;
    /** first backoff, doubled each retry, default 1 000 ms */
    baseDelayMs?: number;
    /** longest backoff, default 60 000 ms */
    maxDelayMs?: number;
  };
  /**
   * A claim younger than this without a sid may still have its request in flight in another
   * worker; a retry waits rather than reconcile. Keep above the twilio client's timeout
   * (library default 30 s). Default 45 000 ms.
   */
  inFlightMs?: number;
  /** how far before a claim a message found in Twilio's list still counts (clock skew); default 10 s */
  reconcileSkewMs?: number;
  /** the WhatsApp window, default 24 h less 15 min so a message queued late still lands inside */
  whatsappWindowMs?: number;
  /** BullMQ worker tuning; the defaults suit production */
  worker?: { lockDurationMs?: number; stalledIntervalMs?: number; maxStalledCount?: number };
  /** shown as each job's processedBy; default <hostname>:<pid> */
  workerName?: string;
  clock?: () => number;
  logger?: OutboundLogger;
}

const HOUR = 60 * 60 * 1000;
const silent: OutboundLogger = { debug() {}, info() {}, warn() {}, error() {} };
const BACKOFF_TYPE = 'ayni-jitter';

/**
 * Another attempt's send may still be in flight: come back at `until` (not a failure, so it
 * does not use up an attempt).
 */
class ClaimBusy extends Error {
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

interface Sender {
  from?: string;
  messagingServiceSid?: string;
  /** the pacing timeline: one per channel and sender */
  paceKey: string;
}

type Plan =
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'handover' }
  | {
      kind: 'send';
      channel: Channel;
      to: string;
      sender: Sender;
      content: { body: string } | { template: OutboundTemplate };
    };

export class OutboundSender {
  readonly deliveries: DeliveryLog;
  private readonly opts: OutboundSenderOptions;
  private readonly bullRedis: Redis;
  private readonly queues: Record<Channel, Queue<JobData, JobOutcome>>;
  private readonly workers: Worker<JobData, JobOutcome>[] = [];
  private readonly sessions: SessionStore;
  private readonly lock: SenderLock;
  private readonly pacer: SenderPacer;
  private readonly log: OutboundLogger;
  private readonly attempts: number;
  private readonly clock: () => number;

  constructor(options: OutboundSenderOptions) {
    this.opts = options;
    this.sessions = options.stores.sessions;
    this.lock = options.stores.senderLock;
    this.deliveries = options.stores.deliveries;
    this.pacer = options.stores.pacer;
    this.log = options.logger ?? silent;
    this.attempts = options.retry?.attempts ?? 8;
    this.clock = options.clock ?? Date.now;
    // BullMQ blocks on this connection and must never give up on a command (its own rule).
    this.bullRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    this.bullRedis.on('error', (error) => this.log.debug({ err: error.message }, 'outbound redis error'));
    const base = options.queueName ?? 'outbound';
    const queueOpts = { connection: this.bullRedis, prefix: options.stores.keyspace.bullPrefix() };
    this.queues = {
      sms: new Queue<JobData, JobOutcome>(`${base}-sms`, queueOpts),
      whatsapp: new Queue<JobData, JobOutcome>(`${base}-whatsapp`, queueOpts),
    };
    for (const queue of Object.values(this.queues)) {
      queue.on('error', (error) => this.log.warn({ err: error.message }, 'outbound queue error'));
    }
  }

  /** Enqueues one message; 'duplicate' if this dedupeKey already went (or is going) to this recipient. */
  async send(message: OutboundMessage): Promise<SendResult> {
    const [result] = await this.sendMany([message]);
    return result ?? 'duplicate';
  }

  /** Enqueues a fan-out (one message per recipient) in bulk; results in the same order. */
  async sendMany(messages: readonly OutboundMessage[]): Promise<SendResult[]> {
    const checked = messages.map((m) => ({ m, address: this.check(m) }));
    const results: SendResult[] = [];
    const toAdd: Record<Channel, { name: string; data: JobData; opts: JobsOptions }[]> = {
      sms: [],
      whatsapp: [],
    };
    // Registered before being enqueued: if this process dies in between, calling send again
    // enqueues it (the outcome is still 'queued'); a recipient already finished is not re-sent.
    const previous = await Promise.all(
      checked.map(({ m, address }) => this.deliveries.markQueued(m.dedupeKey, learnerId(address.phone))),
    );
    checked.forEach(({ m, address }, i) => {
      const prev = previous[i];
      results.push(prev === 'new' ? 'queued' : 'duplicate');
      if (prev === 'new' || prev === 'queued') {
        toAdd[address.channel].push({ name: 'send', data: { ...m }, opts: this.jobOptions(m, address) });
      }
    });
    for (const channel of ['sms', 'whatsapp'] as const) {
      const jobs = toAdd[channel];
      for (let i = 0; i < jobs.length; i += 500) {
        await this.queues[channel].addBulk(jobs.slice(i, i + 500));
      }
    }
    return results;
  }

  /** Starts this process's workers (one per lane). */
  start(): void {
    if (this.workers.length > 0) return;
    const rates = this.rates();
    for (const lane of ['sms', 'whatsapp'] as const) {
      const worker = new Worker<JobData, JobOutcome>(
        this.queues[lane].name,
        (job, token) => this.process(job, lane, token),
        {
          connection: this.bullRedis,
          prefix: this.opts.stores.keyspace.bullPrefix(),
          name: this.opts.workerName ?? `${hostname()}:${process.pid}`,
          concurrency:
            this.opts.concurrency?.[lane] ?? Math.min(100, Math.max(2, Math.ceil(rates[lane] / 2))),
          lockDuration: this.opts.worker?.lockDurationMs ?? 30_000,
          stalledInterval: this.opts.worker?.stalledIntervalMs ?? 30_000,
          maxStalledCount: this.opts.worker?.maxStalledCount ?? 2,
          settings: { backoffStrategy: (attemptsMade: number) => this.backoff(attemptsMade) },
        },
      );
      worker.on('error', (error) => this.log.warn({ err: error.message }, 'outbound worker error'));
      worker.on('failed', (job, error) => {
        this.log.warn(
          { lane, dedupeKey: job?.data.dedupeKey, attempt: job?.attemptsMade, err: error.message },
          'outbound send failed',
        );
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

  // ---- enqueueing -------------------------------------------------------------------------

  private check(m: OutboundMessage): Address {
    assertDedupeKey(m.dedupeKey);
    const address = parseAddress(m.to);
    if (!address) throw new Error('outbound: `to` must be +E.164 or whatsapp:+E.164');
    if (!m.body && !m.template) throw new Error('outbound: a message needs a body or a template');
    return address;
  }

  private jobOptions(m: OutboundMessage, address: Address): JobsOptions {
    return {
      // Deterministic: enqueueing the same message twice while the first job exists is a no-op.
      jobId: jobIdOf(m.dedupeKey, learnerId(address.phone)),
      attempts: this.attempts,
      backoff: { type: BACKOFF_TYPE },
      removeOnComplete: { age: 24 * 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
  }

  /** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
  private backoff(attemptsMade: number): number {
    const base = this.opts.retry?.baseDelayMs ?? 1_000;
    const max = this.opts.retry?.maxDelayMs ?? 60_000;
    const delay = Math.min(max, base * 2 ** Math.max(0, attemptsMade - 1));
    return Math.round(delay / 2 + Math.random() * (delay / 2));
  }

  private inFlightMs(): number {
    return this.opts.inFlightMs ?? 45_000;
  }

  private rates(): Record<Channel, number> {
    return { sms: this.opts.rates?.sms ?? 1, whatsapp: this.opts.rates?.whatsapp ?? 80 };
  }

  // ---- the worker -------------------------------------------------------------------------

  private async process(job: Job<JobData, JobOutcome>, lane: Channel, token?: string): Promise<JobOutcome> {
    const m = job.data;
    const address = parseAddress(m.to);
    if (!address) throw new UnrecoverableError('bad address in job');
    const learner = learnerId(address.phone);
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    try {
      return await this.deliver(m, address, learner, lane);
    } catch (error) {
      if (error instanceof ClaimBusy) {
        await job.moveToDelayed(error.until, token);
        throw new DelayedError();
      }
      if (lastTry && !(error instanceof UnrecoverableError)) {
        const reason = error instanceof RetryableSendError ? error.reason : 'error';
        await this.deliveries.finish(m.dedupeKey, learner, 'failed', `gave_up_${reason}`);
        this.log.error(
          { dedupeKey: m.dedupeKey, to: maskPhone(address.phone), reason },
          'outbound: gave up on a message',
        );
      }
      throw error;
    }
  }

  private async deliver(m: JobData, address: Address, learner: string, lane: Channel): Promise<JobOutcome> {
    const { dedupeKey } = m;
    const outcome = await this.deliveries.outcome(dedupeKey, learner);
    if (outcome && outcome !== 'queued') return 'done_before';

    // An earlier attempt claimed this send: settle what became of it before anything else.
    const previous = await this.deliveries.getClaim(dedupeKey, learner);
    if (previous) {
      const settled = await this.settleClaim(m, address, learner, previous.claim, previous.raw);
      if (settled) return settled;
    }

    const session = await this.sessions.load(learner);
    const plan = this.plan(m, address, session, lane);
    if (plan.kind === 'skip') return this.skip(m, learner, plan.reason);
    if (plan.kind === 'handover') {
      // Same job id in the SMS lane: a repeated handover is a no-op.
      await this.queues.sms.add('send', { ...m, lane: 'sms' }, this.jobOptions(m, address));
      return 'handed_to_sms';
    }

    await this.pacer.waitTurn(plan.sender.paceKey, this.rates()[plan.channel]);
    const claimAt = Date.now(); // Twilio's clock, not the test clock: reconcile compares with it
    const raw = await this.deliveries.claim(dedupeKey, learner, claimAt, plan.channel);
    if (!raw) throw new ClaimBusy(Date.now() + this.inFlightMs());

    let message: MessageInstance;
    try {
      message = await this.opts.twilio.messages.create(this.createParams(plan));
    } catch (error) {
      return this.failed(m, address, learner, raw, claimAt, plan.channel, classifySendError(error));
    }
    await this.deliveries.recordSent(dedupeKey, learner, { at: claimAt, channel: plan.channel }, message.sid);
    this.log.debug({ dedupeKey, to: maskPhone(address.phone), sid: message.sid }, 'outbound sent');
    return 'sent';
  }

  /** Decides channel, sender and content at send time, from the learner's session as it is now. */
  private plan(m: JobData, address: Address, session: SessionRecord | null, lane: Channel): Plan {
    if (!session && !m.allowUnknownRecipient) return { kind: 'skip', reason: 'unknown_learner' };
    if (session?.optedOut) return { kind: 'skip', reason: 'opted_out' };

    if (lane === 'sms') {
      const sender = this.sender('sms');
      if (!sender) return { kind: 'skip', reason: 'no_sender' };
      const content = m.body ? { body: m.body } : { template: m.template as OutboundTemplate };
      return { kind: 'send', channel: 'sms', to: address.phone, sender, content };
    }

    // The window opens when the learner writes on WhatsApp. lastInboundAt is the last message on
    // either channel, so it only tells the WhatsApp time if the last message came by WhatsApp.
    const window = this.opts.whatsappWindowMs ?? 24 * HOUR - 15 * 60 * 1000;
    const inWindow =
      !!session && session.address.startsWith('whatsapp:') && this.clock() - session.lastInboundAt < window;
    let content: { body: string } | { template: OutboundTemplate };
    if (inWindow && m.body) content = { body: m.body };
    else if (m.template) content = { template: m.template };
    else if (m.smsFallback && m.body && this.sender('sms')) return { kind: 'handover' };
    else return { kind: 'skip', reason: 'outside_window' };
    const sender = this.sender('whatsapp');
    if (!sender) return { kind: 'skip', reason: 'no_sender' };
    return { kind: 'send', channel: 'whatsapp', to: `whatsapp:${address.phone}`, sender, content };
  }

  private sender(channel: Channel): Sender | null {
    const { smsFrom, whatsappFrom, messagingServiceSid } = this.opts;
    let from = channel === 'sms' ? smsFrom : whatsappFrom;
    if (from && channel === 'whatsapp' && !from.startsWith('whatsapp:')) from = `whatsapp:${from}`;
    if (from) return { from, paceKey: `${channel}:${from}` };
    if (messagingServiceSid) return { messagingServiceSid, paceKey: `${channel}:${messagingServiceSid}` };
    return null;
  }

  private createParams(plan: Extract<Plan, { kind: 'send' }>): MessageListInstanceCreateOptions {
    const params: MessageListInstanceCreateOptions = { to: plan.to };
    if (plan.sender.from) params.from = plan.sender.from;
    else params.messagingServiceSid = plan.sender.messagingServiceSid;
    if ('body' in plan.content) params.body = plan.content.body;
    else {
      params.contentSid = plan.content.template.contentSid;
      params.contentVariables = JSON.stringify(plan.content.template.variables ?? {});
    }
    if (this.opts.statusCallbackUrl) params.statusCallback = this.opts.statusCallbackUrl;
    return params;
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
    const { dedupeKey } = m;
    const to = maskPhone(address.phone);
    switch (failure.kind) {
      case 'opted_out':
        // Twilio created nothing; the learner said STOP to this number: remember it.
        await this.deliveries.swapClaim(dedupeKey, learner, raw, null);
        await this.optOut(learner);
        this.log.info({ dedupeKey, to }, 'outbound: recipient had opted out (21610)');
        return this.skip(m, learner, 'opted_out');
      case 'rejected': {
        await this.deliveries.swapClaim(dedupeKey, learner, raw, null);
        const reason = `twilio_${failure.code ?? failure.status}`;
        await this.deliveries.finish(dedupeKey, learner, 'failed', reason);
        this.log.warn({ dedupeKey, to, reason }, 'outbound: Twilio rejected a message');
        return `failed:${reason}`;
      }
      case 'rate_limited':
        // Refused before anything was created: free the claim for the retry.
        await this.deliveries.swapClaim(dedupeKey, learner, raw, null);
        throw new RetryableSendError('rate_limited', `Twilio answered 429 (${failure.code ?? 'no code'})`);
      case 'uncertain':
        // The message may exist: the retry asks Twilio before sending again.
        await this.deliveries.swapClaim(dedupeKey, learner, raw, { at: claimAt, channel, uncertain: true });
        throw new RetryableSendError('uncertain', `no clear answer from Twilio (${failure.detail})`);
    }
  }

  /**
   * A claim from an earlier attempt. With a sid, the message went: record it. Without one, the
   * attempt either failed unclearly or its worker died between claiming and recording. If the
   * claim is recent and not marked uncertain, its request may still be in flight: try later.
   * Otherwise ask Twilio whether the message exists; if it does, record it, else free the claim.
   */
  private async settleClaim(
    m: JobData,
    address: Address,
    learner: string,
    claim: SendClaim,
    raw: string,
  ): Promise<JobOutcome | null> {
    const { dedupeKey } = m;
    if (claim.sid) {
      await this.deliveries.recordSent(dedupeKey, learner, claim, claim.sid);
      return 'already_sent';
    }
    const age = Date.now() - claim.at;
    if (!claim.uncertain && age < this.inFlightMs()) throw new ClaimBusy(claim.at + this.inFlightMs());
    const found = await this.findSent(m, address, claim);
    if (found) {
      await this.deliveries.recordSent(dedupeKey, learner, claim, found.sid);
      this.log.info({ dedupeKey, to: maskPhone(address.phone), sid: found.sid }, 'outbound: reconciled');
      return 'reconciled';
    }
    if (!(await this.deliveries.swapClaim(dedupeKey, learner, raw, null))) {
      throw new ClaimBusy(Date.now() + this.inFlightMs()); // someone else took it over meanwhile
    }
    return null;
  }

  /**
   * Looks in Twilio's recent messages to this number for the one a dead attempt may have created:
   * sent by the API from our sender, created after the claim (less clock skew), with the same
   * text. Not filtered with DateSent: a message still queued at Twilio has no date_sent yet, and
   * DateSent is matched by day. A template's text is rendered by Twilio, so for a template any
   * message from our sender since the claim counts.
   */
  private async findSent(m: JobData, address: Address, claim: SendClaim): Promise<MessageInstance | null> {
    const channels: Channel[] = claim.channel ? [claim.channel] : ['whatsapp', 'sms'];
    const since = claim.at - (this.opts.reconcileSkewMs ?? 10_000);
    for (const channel of channels) {
      const sender = this.sender(channel);
      if (!sender) continue;
      const to = channel === 'whatsapp' ? `whatsapp:${address.phone}` : address.phone;
      const recent = await this.opts.twilio.messages.list({
        to,
        ...(sender.from ? { from: sender.from } : {}),
        limit: 50,
      });
      const match = recent.find(
        (msg) =>
          msg.direction === 'outbound-api' &&
          (sender.from ? msg.from === sender.from : msg.messagingServiceSid === sender.messagingServiceSid) &&
          msg.dateCreated.getTime() >= since &&
          (!m.body || m.template || sameText(msg.body, m.body)),
      );
      if (match) return match;
    }
    return null;
  }

  private async skip(m: JobData, learner: string, reason: SkipReason): Promise<JobOutcome> {
    await this.deliveries.finish(m.dedupeKey, learner, 'skipped', reason);
    return `skipped:${reason}`;
  }

  /** The learner texted STOP to our number (Twilio 21610): save optedOut under their turn lock. */
  private async optOut(learner: string): Promise<void> {
    await this.lock.withLock(learner, async () => {
      const session = await this.sessions.load(learner);
      if (session && !session.optedOut) await this.sessions.save(learner, { ...session, optedOut: true });
    });
  }
}

/** BullMQ job ids may not contain ':'; a hash of the pair is stable and short. */
export function jobIdOf(dedupeKey: string, learner: string): string {
  return createHash('sha256').update(dedupeKey).update('\0').update(learner).digest('hex').slice(0, 40);
}

/** Equal after the changes Twilio's Smart Encoding may make (quotes, dashes, accents, spacing). */
function sameText(a: string, b: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '');
  return a === b || fold(a) === fold(b);
}
