// Form bodies for the fuzzing tests, built pair by pair so that a body can hold anything Twilio's
// own serializer would never produce (repeated keys, bracket notation, raw bytes, invalid
// percent-escapes, lone surrogates), and still carry a VALID X-Twilio-Signature: the signature is
// computed with the twilio library over the parameters a receiver reads from exactly the bytes
// that are sent. So a fuzzed body passes the signature check and reaches the parser, the schema
// and the engine, which is where the fuzzing is aimed.
import twilio from 'twilio';

/**
 * How one key or value is written on the wire:
 * - `standard`: the WHATWG form serializer (what Twilio does); a lone surrogate becomes U+FFFD;
 * - `wtf8`: every UTF-16 code unit as (generalized) UTF-8 bytes, each byte percent-escaped; a lone
 *   surrogate becomes %ED%A0%80-like bytes, which are not UTF-8, so a receiver cannot decode them;
 * - `raw`: the text as it is, only `&`, `=`, `+` and `%` escaped; non-ASCII goes as raw UTF-8
 *   bytes (a lone surrogate turns into EF BF BD when the string is written as UTF-8);
 * - `sloppy`: like raw but `%` left alone, so `%zz` or a truncated `%E0%A4` arrive as they are.
 */
export type Encoding = 'standard' | 'wtf8' | 'raw' | 'sloppy';
export const ENCODINGS: readonly Encoding[] = ['standard', 'wtf8', 'raw', 'sloppy'];

export interface FormPair {
  key: string;
  value: string;
  encoding: Encoding;
}

/** A form as it would be received: each key once, a repeated key's values in an array. */
export type ReceivedForm = Record<string, string | string[]>;

export interface SignedForm {
  /** the exact bytes sent */
  payload: Buffer;
  headers: Record<string, string>;
  /** the parameters the signature was computed over */
  params: ReceivedForm;
}

function encodeComponent(text: string, encoding: Encoding): string {
  switch (encoding) {
    case 'standard':
      // URLSearchParams serializes the pair "k=v"; take the value side.
      return new URLSearchParams([['k', text]]).toString().slice(2);
    case 'wtf8':
      return percentBytes(wtf8(text));
    case 'raw':
      return text.replace(
        /[&=+%]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
      );
    case 'sloppy':
      return text.replace(/[&=+]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  }
}

/** Generalized UTF-8 (WTF-8): like UTF-8, but a lone surrogate is encoded as its own 3 bytes. */
function wtf8(text: string): number[] {
  const bytes: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) as number;
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  return bytes;
}

function percentBytes(bytes: number[]): string {
  return bytes.map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** The body text of a form: `key=value` pairs joined by `&`, each side written as its encoding says. */
export function formText(pairs: readonly FormPair[]): string {
  return pairs
    .map((p) => `${encodeComponent(p.key, p.encoding)}=${encodeComponent(p.value, p.encoding)}`)
    .join('&');
}

/**
 * One component as an application/x-www-form-urlencoded receiver reads it: `+` is a space, then
 * percent-escapes are decoded as UTF-8; a component whose escapes are not valid UTF-8 is kept as
 * it came (the convention of @fastify/formbody's parser, fast-querystring, and of Node's
 * legacy querystring), rather than replaced with U+FFFD as the WHATWG parser would.
 */
function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return spaced;
  }
}

/**
 * The parameters in a body as received: pairs split on `&`, key and value on the first `=`, empty
 * segments skipped, a repeated key's values gathered in order. A null-prototype object, so that
 * `__proto__` or `constructor` are plain keys like any other.
 */
export function receivedForm(body: string): ReceivedForm {
  const form = Object.create(null) as ReceivedForm;
  for (const segment of body.split('&')) {
    if (segment === '') continue;
    const eq = segment.indexOf('=');
    const key = decodeComponent(eq < 0 ? segment : segment.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(segment.slice(eq + 1));
    const before = form[key];
    if (before === undefined) form[key] = value;
    else if (Array.isArray(before)) before.push(value);
    else form[key] = [before, value];
  }
  return form;
}

/** A POST of `pairs` to `url`, signed with the twilio library over what the receiver will read. */
export function signedForm(
  authToken: string,
  url: string,
  pairs: readonly FormPair[],
  contentType = 'application/x-www-form-urlencoded',
): SignedForm {
  const payload = Buffer.from(formText(pairs), 'utf8');
  // What arrives is the bytes, read back as UTF-8: a lone surrogate written raw is U+FFFD by now.
  const params = receivedForm(payload.toString('utf8'));
  return {
    payload,
    params,
    headers: {
      'content-type': contentType,
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
  };
}
