/**
 * What to send, from which sender, decided when the message goes out from the learner's session
 * as it is then: skip anyone opted out (even a number whose data was deleted after STOP, for
 * every kind of message) or unknown; on WhatsApp, buttons or free text inside the 24-hour window,
 * else the approved template, else SMS (a handover to the SMS lane), else skip.
 */
import type { Address, Channel } from '../privacy/phone.js';
import type { SessionRecord } from '../store/session-store.js';
import type { SkipReason } from './delivery-log.js';
import type { OutboundTemplate, WaitingJob } from './outbound-message.js';
import type { OutboundSenderOptions } from './outbound-options.js';

export interface Sender {
  from?: string;
  messagingServiceSid?: string;
  /** the pacing timeline: one per channel and sender */
  paceKey: string;
}

export type Plan =
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'handover' }
  | {
      kind: 'send';
      channel: Channel;
      to: string;
      sender: Sender;
      content: { body: string; mediaUrl?: string } | { template: OutboundTemplate };
    };

export type SendPlan = Extract<Plan, { kind: 'send' }>;

type SenderNumbers = Pick<OutboundSenderOptions, 'smsFrom' | 'whatsappFrom' | 'messagingServiceSid'>;

/** Who the message is for, as they are when it goes out. */
export interface Recipient {
  session: SessionRecord | null;
  /** STOP in the session, or an opt-out kept after BORRAR (src/store/opt-out-store.ts) */
  optedOut: boolean;
}

const HOUR = 60 * 60 * 1000;

/** Decides channel, sender and content at send time, from the learner's session as it is now. */
export function planSend(
  m: WaitingJob,
  address: Address,
  { session, optedOut }: Recipient,
  lane: Channel,
  opts: SenderNumbers & Pick<OutboundSenderOptions, 'whatsappWindowMs'>,
  clock: () => number,
): Plan {
  if (optedOut || session?.optedOut) return { kind: 'skip', reason: 'opted_out' };
  if (!session && !m.allowUnknownRecipient) return { kind: 'skip', reason: 'unknown_learner' };

  if (lane === 'sms') {
    const sender = senderFor('sms', opts);
    if (!sender) return { kind: 'skip', reason: 'no_sender' };
    const content = m.body ? { body: m.body } : { template: m.template as OutboundTemplate };
    return { kind: 'send', channel: 'sms', to: address.phone, sender, content };
  }

  // The window opens when the learner writes on WhatsApp. lastInboundAt is the last message on
  // either channel, so it only tells the WhatsApp time if the last message came by WhatsApp.
  const window = opts.whatsappWindowMs ?? 24 * HOUR - 15 * 60 * 1000;
  const inWindow =
    !!session && session.address.startsWith('whatsapp:') && clock() - session.lastInboundAt < window;
  let content: SendPlan['content'];
  if (inWindow && m.buttons) content = { template: m.buttons };
  else if (inWindow && (m.body || m.mediaUrl))
    content = { body: m.body ?? '', ...(m.mediaUrl ? { mediaUrl: m.mediaUrl } : {}) };
  else if (m.template) content = { template: m.template };
  else if (m.smsFallback && m.body && senderFor('sms', opts)) return { kind: 'handover' };
  else return { kind: 'skip', reason: 'outside_window' };
  const sender = senderFor('whatsapp', opts);
  if (!sender) return { kind: 'skip', reason: 'no_sender' };
  return { kind: 'send', channel: 'whatsapp', to: `whatsapp:${address.phone}`, sender, content };
}

/** The channel's own From number, else the Messaging Service, else none. */
export function senderFor(channel: Channel, opts: SenderNumbers): Sender | null {
  const { smsFrom, whatsappFrom, messagingServiceSid } = opts;
  let from = channel === 'sms' ? smsFrom : whatsappFrom;
  if (from && channel === 'whatsapp' && !from.startsWith('whatsapp:')) from = `whatsapp:${from}`;
  if (from) return { from, paceKey: `${channel}:${from}` };
  if (messagingServiceSid) return { messagingServiceSid, paceKey: `${channel}:${messagingServiceSid}` };
  return null;
}
