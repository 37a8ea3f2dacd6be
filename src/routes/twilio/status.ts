/**
 * POST /twilio/status: Twilio's delivery callbacks for the messages the outbound sender sent
 * (each carries statusCallback = PUBLIC_URL + '/twilio/status'). The signature is checked like
 * every Twilio route (403, nothing changes); then the status is recorded for the MessageSid and
 * delivered / failed / undelivered are counted once on the message (dedupeKey) it belongs to.
 */
import type { FastifyInstance } from 'fastify';
import { twilioSignatureCheck } from './signature.js';
import { STATUS_PATH, type DeliveryLog } from '../../messaging/delivery-log.js';

interface StatusBody {
  MessageSid: string;
  MessageStatus: string;
  ErrorCode?: string;
}

export interface TwilioStatusRouteOptions {
  /** unset in local mode: every request is refused */
  authToken: string | undefined;
  publicUrl: string;
  /** the sender's log: `app.outbound.deliveries` */
  deliveries: DeliveryLog;
}

export async function twilioStatusRoute(
  app: FastifyInstance,
  options: TwilioStatusRouteOptions,
): Promise<void> {
  app.post<{ Body: StatusBody }>(
    STATUS_PATH,
    {
      bodyLimit: 32 * 1024,
      preValidation: twilioSignatureCheck(options.authToken, options.publicUrl),
      schema: {
        body: {
          type: 'object',
          required: ['MessageSid', 'MessageStatus'],
          properties: {
            MessageSid: { type: 'string', pattern: '^[A-Z]{2}[0-9a-fA-F]{32}$' },
            MessageStatus: { type: 'string', pattern: '^[a-z_-]{1,32}$' },
            ErrorCode: { type: 'string', pattern: '^[0-9]{0,10}$' },
          },
        },
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const { MessageSid, MessageStatus, ErrorCode } = request.body;
      const recorded = await options.deliveries.recordStatus(MessageSid, MessageStatus, ErrorCode);
      request.log.info(
        {
          sid: MessageSid,
          status: MessageStatus,
          errorCode: ErrorCode || undefined,
          dedupeKey: recorded?.dedupeKey,
          known: recorded !== null,
        },
        'status callback',
      );
      // 2xx even for a sid we do not know (expired, or sent by other software): Twilio would
      // only log a webhook error and there is nothing to retry.
      return reply.code(204).send();
    },
  );
}
