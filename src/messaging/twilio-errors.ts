/**
 * What a failed messages.create means for the sender: retry or not, and whether Twilio may have
 * created the message anyway (which decides if a retry must first ask Twilio what it has).
 */
import twilio from 'twilio';

export type SendFailure =
  /** 429 / 20429: Twilio refused before creating anything; retry later. */
  | { kind: 'rate_limited'; code: number | undefined }
  /** 5xx, a timeout or a dropped connection: retry, but the message may exist already. */
  | { kind: 'uncertain'; code: number | undefined; detail: string }
  /** 21610: the recipient texted STOP to this sender. */
  | { kind: 'opted_out' }
  /** any other 4xx: the request itself is wrong (bad number, bad template...); never retried. */
  | { kind: 'rejected'; code: number | undefined; status: number };

export const UNSUBSCRIBED_RECIPIENT = 21610;
export const TOO_MANY_REQUESTS = 20429;

export function classifySendError(error: unknown): SendFailure {
  if (error instanceof twilio.RestException) {
    const { status, code } = error;
    if (code === UNSUBSCRIBED_RECIPIENT) return { kind: 'opted_out' };
    if (status === 429 || code === TOO_MANY_REQUESTS) return { kind: 'rate_limited', code };
    if (status >= 500) return { kind: 'uncertain', code, detail: `HTTP ${status}` };
    if (status >= 400) return { kind: 'rejected', code, status };
    return { kind: 'uncertain', code, detail: `HTTP ${status}` };
  }
  // No answer at all (timeout, reset, DNS): Twilio may or may not have the request.
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { kind: 'uncertain', code: undefined, detail };
}
