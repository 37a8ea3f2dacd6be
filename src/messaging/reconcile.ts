/**
 * Settles a send claim an earlier attempt left behind, so a message goes at most once even when a
 * worker died between calling Twilio and recording the answer: a claim with a sid is recorded as
 * sent; one without is either still in flight (wait) or looked up in Twilio's message list.
 */
import type { MessageInstance } from 'twilio/lib/rest/api/v2010/account/message.js';
import { maskPhone, type Address, type Channel } from '../privacy/phone.js';
import type { DeliveryLog, SendClaim } from './delivery-log.js';
import type { JobOutcome, WaitingJob } from './outbound-message.js';
import { inFlightMsOf, type OutboundLogger, type OutboundSenderOptions } from './outbound-options.js';
import { ClaimBusy } from './retry-policy.js';
import { senderFor } from './send-plan.js';

export interface ReconcileDeps {
  deliveries: DeliveryLog;
  log: OutboundLogger;
  opts: OutboundSenderOptions;
}

/**
 * A claim from an earlier attempt. With a sid, the message went: record it. Without one, the
 * attempt either failed unclearly or its worker died between claiming and recording. If the
 * claim is recent and not marked uncertain, its request may still be in flight: try later.
 * Otherwise ask Twilio whether the message exists; if it does, record it, else free the claim.
 * Null when the claim was freed and the message is still to be sent.
 */
export async function settleClaim(
  deps: ReconcileDeps,
  m: WaitingJob,
  address: Address,
  learner: string,
  claim: SendClaim,
  raw: string,
): Promise<JobOutcome | null> {
  const { dedupeKey } = m;
  const inFlightMs = inFlightMsOf(deps.opts);
  if (claim.sid) {
    await deps.deliveries.recordSent(dedupeKey, learner, claim, claim.sid);
    return 'already_sent';
  }
  const age = Date.now() - claim.at;
  if (!claim.uncertain && age < inFlightMs) throw new ClaimBusy(claim.at + inFlightMs);
  const found = await findSent(deps.opts, m, address, claim);
  if (found) {
    await deps.deliveries.recordSent(dedupeKey, learner, claim, found.sid);
    deps.log.info({ dedupeKey, to: maskPhone(address.phone), sid: found.sid }, 'outbound: reconciled');
    return 'reconciled';
  }
  if (!(await deps.deliveries.swapClaim(dedupeKey, learner, raw, null))) {
    throw new ClaimBusy(Date.now() + inFlightMs); // someone else took it over meanwhile
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
async function findSent(
  opts: OutboundSenderOptions,
  m: WaitingJob,
  address: Address,
  claim: SendClaim,
): Promise<MessageInstance | null> {
  const channels: Channel[] = claim.channel ? [claim.channel] : ['whatsapp', 'sms'];
  const since = claim.at - (opts.reconcileSkewMs ?? 10_000);
  for (const channel of channels) {
    const sender = senderFor(channel, opts);
    if (!sender) continue;
    const to = channel === 'whatsapp' ? `whatsapp:${address.phone}` : address.phone;
    const recent = await opts.twilio.messages.list({
      to,
      ...(sender.from ? { from: sender.from } : {}),
      limit: 50,
    });
    const match = recent.find(
      (msg) =>
        msg.direction === 'outbound-api' &&
        (sender.from ? msg.from === sender.from : msg.messagingServiceSid === sender.messagingServiceSid) &&
        msg.dateCreated.getTime() >= since &&
        (!m.body || m.template || m.buttons || sameText(msg.body, m.body)),
    );
    if (match) return match;
  }
  return null;
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
