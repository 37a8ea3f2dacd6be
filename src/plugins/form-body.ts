/**
 * Form bodies (application/x-www-form-urlencoded) for the whole app: Twilio's webhooks and the
 * console's forms. Parsed strictly: fast-querystring (formbody's default) keeps a broken
 * percent-escape such as `%E0%A4%A` as literal text; Twilio never sends one, so such a body is a
 * 400 rather than a message.
 */
import formbody from '@fastify/formbody';
import { parse } from 'fast-querystring';
import fp from 'fastify-plugin';

export class MalformedFormError extends Error {
  readonly statusCode = 400;
  constructor() {
    super('the form body has an invalid percent-encoding');
    this.name = 'MalformedFormError';
  }
}

export function parseTwilioForm(body: string): Record<string, unknown> {
  for (const part of body.split('&')) {
    if (!part.includes('%')) continue;
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new MalformedFormError();
    }
  }
  return parse(body) as Record<string, unknown>;
}

export default fp(
  async (app) => {
    await app.register(formbody, { parser: parseTwilioForm });
  },
  { name: 'form-body' },
);
