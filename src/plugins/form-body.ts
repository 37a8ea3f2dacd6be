/**
 * Parses Twilio's form bodies strictly. fast-querystring (formbody's default) keeps a broken
 * percent-escape such as `%E0%A4%A` as literal text; Twilio never sends one, so such a body is a
 * 400 rather than a message.
 */
import { parse } from 'fast-querystring';

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
