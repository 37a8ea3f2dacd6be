/**
 * Twilio's webhooks: POST /twilio/messages (where a message enters) and POST /twilio/status
 * (delivery callbacks for what the outbound sender sent), both signed with TWILIO_AUTH_TOKEN
 * against PUBLIC_URL + path.
 */
import type { FastifyInstance } from 'fastify';
import { twilioMessagesRoute } from './messages.js';
import { twilioStatusRoute } from './status.js';

export async function twilioRoutes(app: FastifyInstance): Promise<void> {
  const signing = { authToken: app.config.TWILIO_AUTH_TOKEN, publicUrl: app.config.PUBLIC_URL };
  await app.register(twilioMessagesRoute, signing);
  await app.register(twilioStatusRoute, { ...signing, deliveries: app.outbound.deliveries });
}
