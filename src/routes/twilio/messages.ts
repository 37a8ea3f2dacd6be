/**
 * Where a message enters: POST /twilio/messages, for SMS and WhatsApp alike. Signature first
 * (403), then the body's shape (400), then one turn of the conversation, answered as TwiML (or,
 * for WhatsApp buttons, through the outbound sender: turn-delivery.ts).
 */
import type { FastifyInstance } from 'fastify';
import { parseAddress, ADDRESS_PATTERN } from '../../privacy/phone.js';
import { inboundAnswerOf } from '../../reading/tapped-answer.js';
import { twilioSignatureCheck } from './signature.js';
import { deliverTurn } from './turn-delivery.js';

interface InboundBody {
  From: string;
  MessageSid: string;
  Body?: string;
  /** a tapped WhatsApp button: its id and the label the learner saw */
  ButtonPayload?: string;
  ButtonText?: string;
  /** a WhatsApp list item chosen: its id and its title */
  ListId?: string;
  ListTitle?: string;
}

export interface TwilioRoutesOptions {
  /** unset in local mode: every request is refused */
  authToken: string | undefined;
  publicUrl: string;
}

// Twilio's own inbound bodies are a few kilobytes at most.
const BODY_LIMIT = 32 * 1024;

export async function twilioMessagesRoute(app: FastifyInstance, options: TwilioRoutesOptions): Promise<void> {
  app.post<{ Body: InboundBody }>(
    '/twilio/messages',
    {
      bodyLimit: BODY_LIMIT,
      preValidation: twilioSignatureCheck(options.authToken, options.publicUrl),
      schema: {
        body: {
          type: 'object',
          required: ['From', 'MessageSid'],
          properties: {
            From: { type: 'string', pattern: ADDRESS_PATTERN },
            MessageSid: { type: 'string', pattern: '^[A-Z]{2}[0-9a-fA-F]{32}$' },
            // WhatsApp allows 4,096 characters, SMS 1,600.
            Body: { type: 'string', maxLength: 4096 },
            // WhatsApp caps a button's payload and a list item's id at 200 characters (a
            // template's, 256), and their titles far lower.
            ButtonPayload: { type: 'string', maxLength: 256 },
            ButtonText: { type: 'string', maxLength: 256 },
            ListId: { type: 'string', maxLength: 256 },
            ListTitle: { type: 'string', maxLength: 256 },
          },
        },
      },
    },
    async (request, reply) => {
      const address = parseAddress(request.body.From);
      if (!address) return reply.code(400).send({ error: 'From is not an SMS or WhatsApp number' });
      const started = performance.now();
      const turn = await app.engine.handle({
        address,
        ...inboundAnswerOf(request.body),
        messageSid: request.body.MessageSid,
      });
      const delivery = await deliverTurn(app, address, request.body.MessageSid, turn);
      request.log.info(
        {
          learner: turn.learner,
          channel: address.channel,
          state: turn.state,
          keyword: turn.keyword ?? undefined,
          duplicate: turn.duplicate || undefined,
          replies: turn.replies.length,
          via: delivery.via,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'turn',
      );
      return reply.type('text/xml').send(delivery.twiml);
    },
  );
}
