// Build inbound webhooks the way Twilio sends them: form-encoded body plus X-Twilio-Signature;
// and the test account, also as the environment that points Ayni at a fake Twilio.
// The signature comes from the twilio library itself, so our route is checked against the same
// algorithm the library's validateRequest uses (HMAC-SHA1 of URL + sorted params).
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';

/** Credentials and numbers for tests; the sids have the real shape (prefix + 32 hex). */
export const TEST_TWILIO = {
  accountSid: 'AC' + '0123456789abcdef'.repeat(2),
  authToken: 'test-auth-token-0123456789abcdef',
  smsFrom: '+15005550006',
  whatsappFrom: 'whatsapp:+14155238886',
} as const;

/** The environment that points Ayni's Twilio client at a fake Twilio, with the test account and numbers. */
export function fakeTwilioEnv(apiUrl: string): Record<string, string> {
  return {
    TWILIO_AUTH_TOKEN: TEST_TWILIO.authToken,
    // A token needs an ID_SECRET (src/config.ts); the tests' ids are the development ones.
    ID_SECRET: DEVELOPMENT_ID_SECRET,
    ...fakeTwilioSenderEnv(apiUrl),
  };
}

/** An app that sends through the fake Twilio at `apiUrl` from the test numbers (no auth token). */
export function fakeTwilioSenderEnv(apiUrl: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
    TWILIO_API_URL: apiUrl,
    TWILIO_SMS_FROM: TEST_TWILIO.smsFrom,
    TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
  };
}

/** The X-Twilio-Signature value Twilio would send for a POST of `params` to `url`. */
export function signTwilioRequest(authToken: string, url: string, params: Record<string, string>): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/**
 * application/x-www-form-urlencoded, as Twilio posts it: UTF-8 percent-encoding, space as '+',
 * only A-Z a-z 0-9 * - . _ left bare (the WHATWG form serializer, same as Java's URLEncoder).
 */
export function twilioForm(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

/** Everything app.inject needs for a signed Twilio webhook: `app.inject({ method: 'POST', url: path, ...req })`. */
export function signedTwilioRequest(
  authToken: string,
  url: string,
  params: Record<string, string>,
): { headers: Record<string, string>; payload: string } {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilioRequest(authToken, url, params),
    },
    payload: twilioForm(params),
  };
}

export type SidGenerator = () => string;

/** Random sids, 'SM' + 32 lowercase hex like Twilio's. */
export function randomSid(prefix = 'SM'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Deterministic sids for golden files: SM00000000000000000000000000000001, …02, … */
export function sequentialSids(prefix = 'SM', start = 1): SidGenerator {
  let n = start;
  return () => prefix + (n++).toString(16).padStart(32, '0');
}

export interface InboundOptions {
  /** Sender: '+59171234567' or 'whatsapp:+59171234567' (the prefix is added/removed to match the channel). */
  from: string;
  body: string;
  /** Default: 'whatsapp' if `from` has the whatsapp: prefix, else 'sms'. */
  channel?: 'sms' | 'whatsapp';
  messageSid?: string;
  /** Used when messageSid is not given. Default: randomSid. Pass sequentialSids() for deterministic runs. */
  sids?: SidGenerator;
  /** Our number. Default: TEST_TWILIO.smsFrom / TEST_TWILIO.whatsappFrom. */
  to?: string;
  accountSid?: string;
  /** WhatsApp display name. Default 'Test User'. */
  profileName?: string;
  /** Set when the number belongs to a Messaging Service. */
  messagingServiceSid?: string;
}

/** A realistic inbound message webhook body (the params Twilio posts to /twilio/messages). */
export function inboundParams(opts: InboundOptions): Record<string, string> {
  const whatsapp = (opts.channel ?? (opts.from.startsWith('whatsapp:') ? 'whatsapp' : 'sms')) === 'whatsapp';
  const bare = (n: string): string => n.replace(/^whatsapp:/, '');
  const address = (n: string): string => (whatsapp ? `whatsapp:${bare(n)}` : bare(n));
  const from = address(opts.from);
  const to = address(opts.to ?? (whatsapp ? TEST_TWILIO.whatsappFrom : TEST_TWILIO.smsFrom));
  const sid = opts.messageSid ?? (opts.sids ?? randomSid)();

  // Key order follows what Twilio sends; it does not matter for the signature (keys are sorted).
  const params: Record<string, string> = {
    SmsMessageSid: sid,
    NumMedia: '0',
    ...(whatsapp ? { ProfileName: opts.profileName ?? 'Test User', MessageType: 'text' } : {}),
    SmsSid: sid,
    ...(whatsapp ? { WaId: bare(from).replace(/^\+/, '') } : {}),
    SmsStatus: 'received',
    Body: opts.body,
    To: to,
    ...(opts.messagingServiceSid ? { MessagingServiceSid: opts.messagingServiceSid } : {}),
    NumSegments: '1',
    ...(whatsapp ? { ReferralNumMedia: '0' } : {}),
    MessageSid: sid,
    AccountSid: opts.accountSid ?? TEST_TWILIO.accountSid,
    From: from,
    ApiVersion: '2010-04-01',
  };
  return params;
}
