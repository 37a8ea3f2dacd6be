/**
 * Where a message enters: POST /twilio/messages, for SMS and WhatsApp alike. Signature first
 * (403), then the body's shape (400), then one turn of the conversation, answered as TwiML.
 */
import type { FastifyInstance } from 'fastify';
import { parseAddress, ADDRESS_PATTERN } from '../../privacy/phone.js';
import { twilioSignatureCheck } from './signature.js';
import { messagingTwiml } from './twiml.js';

interface InboundBody {
  From: string;
  MessageSid: string;
  Body?: string;
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
        body: request.body.Body ?? '',
        messageSid: request.body.MessageSid,
      });
      request.log.info(
        {
          learner: turn.learner,
          channel: address.channel,
          state: turn.state,
          keyword: turn.keyword ?? undefined,
          duplicate: turn.duplicate || undefined,
          replies: turn.replies.length,
          ms: Math.round((performance.now() - started) * 10) / 10,
        },
        'turn',
      );
      return reply.type('text/xml').send(messagingTwiml(turn.replies));
    },
  );
}
