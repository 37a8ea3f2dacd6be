/**
 * Checks X-Twilio-Signature on a form-encoded Twilio request, against the public URL Twilio
 * called (PUBLIC_URL + path), never the Host header, which a proxy rewrites.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';

export function twilioSignatureCheck(authToken: string, publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // Twilio posts forms; a JSON body would be checked as if it were form fields.
    const type = String(request.headers['content-type'] ?? '').toLowerCase();
    if (!type.startsWith('application/x-www-form-urlencoded')) {
      return reply.code(415).type('text/plain').send('Twilio webhooks are application/x-www-form-urlencoded');
    }
    const signature = request.headers['x-twilio-signature'];
    const params = request.body;
    const valid =
      typeof signature === 'string' &&
      params !== null &&
      typeof params === 'object' &&
      twilio.validateRequest(authToken, signature, base + request.url, params as Record<string, unknown>);
    if (!valid) {
      request.log.warn(
        { path: request.routeOptions.url },
        'rejected a request without a valid Twilio signature',
      );
      return reply.code(403).type('text/plain').send('invalid signature');
    }
  };
}
