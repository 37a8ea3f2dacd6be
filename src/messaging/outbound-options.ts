/** How the outbound sender is configured, and the defaults more than one of its parts reads. */
import type twilio from 'twilio';
import type { PersonIds } from '../privacy/person-ids.js';
import type { Channel } from '../privacy/phone.js';
import type { Keyspace } from '../store/keyspace.js';
import type { OptOutStore } from '../store/opt-out-store.js';
import type { RedisTarget } from '../store/redis-client.js';
import type { SenderLock } from '../store/sender-lock.js';
import type { SessionStore } from '../store/session-store.js';
import type { DeliveryLog } from './delivery-log.js';
import type { SenderPacer } from './pacer.js';
import type { PendingSends } from './pending-sends.js';

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
  /** a recipient's id in the delivery log and in job ids */
  personIds: PersonIds;
  /** the learner's session: opted out, channel, the WhatsApp window */
  sessions: SessionStore;
  /** opt-outs kept after BORRAR: nothing goes to those numbers */
  optOuts: OptOutStore;
  /** each learner's messages still waiting, for BORRAR */
  pendingSends: PendingSends;
  /** the learner's turn lock, to save an opt-out (21610) */
  senderLock: SenderLock;
  /** claims, outcomes and counters */
  deliveries: DeliveryLog;
  pacer: SenderPacer;
}

export interface OutboundSenderOptions {
  stores: SenderStores;
  /** where BullMQ's own connection goes (a URL, a cluster or sentinels: store/redis-client.ts) */
  redisTarget: RedisTarget;
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
  /**
   * What secret bodies are sealed with while they wait in the queue (seal.ts); every
   * process of a deployment needs the same. Without it, a secret message is refused.
   */
  sealKey?: string | undefined;
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

export const silent: OutboundLogger = { debug() {}, info() {}, warn() {}, error() {} };

export function inFlightMsOf(opts: OutboundSenderOptions): number {
  return opts.inFlightMs ?? 45_000;
}

export function ratesOf(opts: OutboundSenderOptions): Record<Channel, number> {
  return { sms: opts.rates?.sms ?? 1, whatsapp: opts.rates?.whatsapp ?? 80 };
}
