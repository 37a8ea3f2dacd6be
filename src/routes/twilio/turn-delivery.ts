/**
 * How a turn's replies reach the learner. As TwiML in the webhook's answer, unless the last reply
 * can go as a WhatsApp interactive message (buttons or a list) that `npm run whatsapp:sync` made:
 * a message with buttons cannot be TwiML, so then the webhook answers empty TwiML and every reply
 * goes through the outbound sender, ahead of waiting messages and in order (the text bubbles,
 * then the interactive one with the last text as its body). Without Twilio credentials to send
 * with, without the synced resource, or when the queue cannot take them: TwiML, numbered text.
 */
import type { FastifyInstance } from 'fastify';
import type { TurnResult } from '../../conversation/turn.js';
import type { OutboundMessage } from '../../messaging/outbound.js';
import type { Address } from '../../privacy/phone.js';
import { messagingTwiml } from './twiml.js';

/** WhatsApp's longest body for a quick reply or a list. */
const INTERACTIVE_BODY_MAX = 1024;

export async function deliverTurn(
  app: FastifyInstance,
  address: Address,
  messageSid: string,
  turn: TurnResult,
): Promise<{ twiml: string; via: 'twiml' | 'outbound' }> {
  const picture =
    address.channel === 'whatsapp' && turn.picture
      ? app.config.PUBLIC_URL.replace(/\/+$/, '') + turn.picture
      : undefined;
  const asText = { twiml: messagingTwiml(turn.replies, picture), via: 'twiml' as const };
  if (address.channel !== 'whatsapp' || !app.config.TWILIO_ACCOUNT_SID) return asText;
  const dedupeKey = (i: number) => `reply:${messageSid}:${i}`;
  if (turn.duplicate) {
    // Answered before: the same way as then (the sender sends nothing twice).
    const learner = app.personIds.learnerId(address.phone);
    const went = await app.outbound.deliveries.outcome(dedupeKey(0), learner);
    return went ? { twiml: messagingTwiml([]), via: 'outbound' } : asText;
  }
  const body = turn.replies.at(-1);
  if (!turn.interactive || !body || [...body].length > INTERACTIVE_BODY_MAX) return asText;
  const contentSid = await app.stores.whatsappContent.sidOf(turn.interactive);
  if (!contentSid) return asText;
  const messages: OutboundMessage[] = turn.replies.map((text, i) => ({
    dedupeKey: dedupeKey(i),
    to: address.raw,
    body: text,
  }));
  messages[messages.length - 1] = {
    dedupeKey: dedupeKey(messages.length - 1),
    to: address.raw,
    template: { contentSid, variables: { '1': body } },
  };
  try {
    await app.outbound.sendInOrder(messages);
  } catch (error) {
    app.log.warn({ err: (error as Error).message }, 'interactive reply not queued; answered as text');
    return asText;
  }
  return { twiml: messagingTwiml([]), via: 'outbound' };
}
