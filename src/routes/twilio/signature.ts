/**
 * Checks X-Twilio-Signature on a form-encoded Twilio request, against the public URL Twilio
 * called (PUBLIC_URL + path), never the Host header, which a proxy rewrites. Without an auth
 * token (local mode) no signature can be checked, so every request is refused.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestSignatureCheck } from './request-signature.js';

export function twilioSignatureCheck(authToken: string | undefined, publicUrl: string) {
  const base = publicUrl.replace(/\/+$/, '');
  const signatureMatches = authToken ? requestSignatureCheck(authToken) : undefined;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!signatureMatches) {
      request.log.warn(
        { path: request.routeOptions.url },
        'refused a webhook: without TWILIO_AUTH_TOKEN no signature can be checked',
      );
      return reply.code(403).type('text/plain').send('webhooks are off: no TWILIO_AUTH_TOKEN is set');
    }
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
      signatureMatches(signature, base + request.url, params);
    if (!valid) {
      request.log.warn(
        { path: request.routeOptions.url },
        'rejected a request without a valid Twilio signature',
      );
      return reply.code(403).type('text/plain').send('invalid signature');
    }
  };
}
