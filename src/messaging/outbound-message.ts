/**
 * What a caller hands the outbound sender, what comes back, and how a message becomes a job:
 * checked once when it is enqueued, and named by a job id that is the same every time the same
 * message goes to the same recipient.
 */
import { parseAddress, type Address, type Channel } from '../privacy/phone.js';
import { assertDedupeKey, type SkipReason } from './delivery-log.js';
import { recipientKey } from './recipient-key.js';

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
  /** a picture (WhatsApp), with `body` as its caption; needs the 24-hour window like a body */
  mediaUrl?: string;
  /** sent on WhatsApp outside the window (or whenever there is no body) */
  template?: OutboundTemplate;
  /**
   * WhatsApp buttons or a list (a Content resource made by whatsapp:sync, its text as {{1}}): sent
   * inside the 24-hour window only, since WhatsApp takes them nowhere else; outside it, or on SMS,
   * the message is its `body`, the same choice as numbered text.
   */
  buttons?: OutboundTemplate;
  /** WhatsApp outside the window without a template: send `body` by SMS instead of skipping */
  smsFallback?: boolean;
  /** send even to a number with no session (a coordinator who never wrote); default false */
  allowUnknownRecipient?: boolean;
  /**
   * The body is a secret (a console login code): the queue holds it only sealed (seal.ts), and
   * the worker opens it just before calling Twilio. Needs a body and no template.
   */
  secret?: boolean;
  /**
   * A reply to the learner's own message (one the webhook could not answer as TwiML): it goes
   * ahead of every waiting message in its lane (BullMQ's lifo), so it never waits behind a broadcast.
   */
  reply?: boolean;
  /** sent after this one, in order, each once the one before it is over (OutboundSender.sendInOrder) */
  then?: OutboundMessage[];
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

/**
 * What a send job holds: while it waits, the message (a secret body only sealed); once the job
 * has finished, for good, only its dedupeKey: the number and the text are no longer needed and
 * are not kept (the delivery log keeps the outcome).
 */
export type JobData = WaitingJob | FinishedJob;

export interface WaitingJob extends Omit<OutboundMessage, 'secret'> {
  /** set when a WhatsApp message falls back to SMS and moves to the SMS lane */
  lane?: Channel;
  /** a secret body, sealed; `body` is then absent */
  sealedBody?: string;
  finished?: undefined;
}

export interface FinishedJob {
  dedupeKey: string;
  finished: true;
}

/** The recipient's address, or an error saying what is wrong with the message. */
export function checkMessage(m: OutboundMessage): Address {
  assertDedupeKey(m.dedupeKey);
  const address = parseAddress(m.to);
  if (!address) throw new Error('outbound: `to` must be +E.164 or whatsapp:+E.164');
  if (!m.body && !m.template && !m.mediaUrl)
    throw new Error('outbound: a message needs a body or a template (or a picture)');
  if (m.secret && (!m.body || m.template)) throw new Error('outbound: a secret message is a body alone');
  if (m.buttons && !m.body) throw new Error('outbound: buttons need their text as the body too');
  for (const next of m.then ?? []) {
    if (next.to !== m.to) throw new Error('outbound: messages sent in order go to one recipient');
    checkMessage(next);
  }
  return address;
}

/** The send job's id: the recipient's key (recipient-key.ts), the same every time. */
export function jobIdOf(dedupeKey: string, learner: string): string {
  return recipientKey(dedupeKey, learner);
}
