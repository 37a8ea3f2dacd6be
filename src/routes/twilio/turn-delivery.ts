/**
 * How a turn's replies reach the learner. As TwiML in the webhook's answer (a reply that brings a
 * picture carries it as <Media>, WhatsApp only), unless the last reply can go as a WhatsApp
 * interactive message (buttons or a list) that `npm run whatsapp:sync` made: a message with
 * buttons cannot be TwiML, so then the webhook answers empty TwiML and every reply goes through
 * the outbound sender, ahead of waiting messages and in order (the text bubbles, then the
 * interactive one with the last text as its body). Without Twilio credentials to send with,
 * without the synced resource, or when the queue cannot take them: TwiML, numbered text.
 */
import type { FastifyInstance } from 'fastify';
import type { TurnResult } from '../../conversation/turn.js';
import type { OutboundMessage } from '../../messaging/outbound.js';
import type { Address } from '../../privacy/phone.js';
import { certificateToken } from '../certificate-token.js';
import { messagingTwiml } from './twiml.js';

/** WhatsApp's longest body for a quick reply or a list. */
const INTERACTIVE_BODY_MAX = 1024;
const CERTIFICATE = /^\/media\/certificate\/([a-z]{2})\/([A-Z0-9-]+)\.png$/;

export async function deliverTurn(
  app: FastifyInstance,
  address: Address,
  messageSid: string,
  turn: TurnResult,
): Promise<{ twiml: string; via: 'twiml' | 'outbound' }> {
  const media = address.channel === 'whatsapp' ? mediaByBubble(app, turn) : [];
  const asText = { twiml: messagingTwiml(turn.replies, media), via: 'twiml' as const };
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
  const to = address.raw;
  const messages: OutboundMessage[] = turn.replies.flatMap((text, i): OutboundMessage[] => {
    const mediaUrl = media[i];
    if (i < turn.replies.length - 1)
      return [{ dedupeKey: dedupeKey(i), to, body: text, ...(mediaUrl ? { mediaUrl } : {}) }];
    const buttons = {
      dedupeKey: dedupeKey(i),
      to,
      body: text,
      buttons: { contentSid, variables: { '1': text } },
    };
    // Buttons cannot carry a picture: it goes just before them.
    return mediaUrl ? [{ dedupeKey: `${dedupeKey(i)}:media`, to, mediaUrl }, buttons] : [buttons];
  });
  try {
    await app.outbound.sendInOrder(messages);
  } catch (error) {
    app.log.warn({ err: (error as Error).message }, 'interactive reply not queued; answered as text');
    return asText;
  }
  return { twiml: messagingTwiml([]), via: 'outbound' };
}

/** Each bubble's picture URL, if it has one: the first bubble holding the start of its reply. */
function mediaByBubble(app: FastifyInstance, turn: TurnResult): (string | undefined)[] {
  const media: (string | undefined)[] = turn.replies.map(() => undefined);
  const base = app.config.PUBLIC_URL.replace(/\/+$/, '');
  for (const { path, near } of turn.pictures) {
    const found = turn.replies.findIndex((text, i) => media[i] === undefined && text.includes(near));
    const at = found >= 0 ? found : turn.replies.length - 1;
    const certificate = CERTIFICATE.exec(path);
    const token = certificate
      ? `?t=${certificateToken(app.config.ID_SECRET, certificate[1] ?? '', certificate[2] ?? '')}`
      : '';
    if (at >= 0) media[at] = base + path + token;
  }
  return media;
}
