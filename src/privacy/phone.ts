/**
 * Phone numbers are personal data. Ayni keys its records by a keyed hash of the number
 * (person-ids.ts) and only ever logs a masked form; the number itself is kept only where a
 * message must be sent to it.
 */

export type Channel = 'sms' | 'whatsapp';

export interface Address {
  channel: Channel;
  /** E.164, e.g. +59171234567: the same person on SMS and on WhatsApp */
  phone: string;
  /** as Twilio writes it: +591… or whatsapp:+591… */
  raw: string;
}

// '+', a country code that does not start with 0, and at most 15 digits in all.
const E164 = '\\+[1-9][0-9]{6,14}';

/** One number in E.164, e.g. +59171234567. */
export const E164_PATTERN = `^${E164}$`;

/** Twilio's From for SMS and WhatsApp; other channels are not served. */
export const ADDRESS_PATTERN = `^(whatsapp:)?${E164}$`;
const addressRegex = new RegExp(ADDRESS_PATTERN);

export function parseAddress(raw: string): Address | null {
  if (!addressRegex.test(raw)) return null;
  const whatsapp = raw.startsWith('whatsapp:');
  return {
    channel: whatsapp ? 'whatsapp' : 'sms',
    phone: whatsapp ? raw.slice('whatsapp:'.length) : raw,
    raw,
  };
}

/** +59171234567 -> +591******567: enough to tell two learners apart in a log, not to call them. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/^whatsapp:/, '');
  if (digits.length <= 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 4)}${'*'.repeat(digits.length - 7)}${digits.slice(-3)}`;
}
