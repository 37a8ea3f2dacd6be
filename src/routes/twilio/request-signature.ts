/**
 * Whether an X-Twilio-Signature is right for a form Twilio posted: the same verdict as the
 * library's `twilio.validateRequest(authToken, signature, url, params)`, which the tests keep as
 * the reference (tests/unit/request-signature.test.ts), at the cost of one HMAC for a genuine
 * request instead of the library's per-call string key, per-candidate string building and up to
 * six HMACs for a forged one.
 *
 * What is signed: the URL Twilio called, then every parameter name, sorted, followed by its value
 * (a repeated name: its distinct values, sorted, each after the name); HMAC-SHA1 under the auth
 * token, in base64. The library accepts the signature of a few spellings of the URL: as called,
 * with and without the port, and as `new URL()` normalizes it (also with the query re-encoded as
 * node's `querystring` does). The URL as called, PUBLIC_URL + path, is what Twilio signs, so it is
 * tried first, and the others only when it fails, each spelling once.
 */
import { createHmac, createSecretKey, timingSafeEqual } from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';

/** A SHA-1 digest is 20 bytes: 28 characters of base64. */
const SIGNATURE_LENGTH = 28;

export type RequestSignatureCheck = (signature: string, url: string, params: object) => boolean;

export function requestSignatureCheck(authToken: string): RequestSignatureCheck {
  // A string key is turned into bytes (UTF-8, as here) on every createHmac; a KeyObject once.
  const key = createSecretKey(authToken, 'utf8');
  // Where each expected signature is written: the check runs to its end without yielding.
  const expected = Buffer.alloc(SIGNATURE_LENGTH);
  const signs = (given: Buffer, data: string): boolean => {
    expected.write(createHmac('sha1', key).update(data, 'utf8').digest('base64'), 'latin1');
    return timingSafeEqual(given, expected);
  };
  return (signature, url, params) => {
    // The library compares the header's UTF-8 bytes with the 28 ASCII bytes of a signature: no
    // header of another length, in characters or in bytes, can match, whatever the URL.
    if (signature.length !== SIGNATURE_LENGTH) return false;
    const given = Buffer.from(signature);
    if (given.length !== SIGNATURE_LENGTH) return false;
    const signedParams = paramsText(params as Record<string, unknown>);
    if (signs(given, url + signedParams)) return true;
    const tried = new Set([url]);
    for (const candidate of otherSpellings(url)) {
      if (tried.has(candidate)) continue;
      tried.add(candidate);
      if (signs(given, candidate + signedParams)) return true;
    }
    return false;
  };
}

function paramsText(params: Record<string, unknown>): string {
  let text = '';
  for (const name of Object.keys(params).sort()) text += pairText(name, params[name]);
  return text;
}

function pairText(name: string, value: unknown): string {
  if (typeof value === 'string') return name + value;
  if (value instanceof Array) {
    let text = '';
    for (const each of Array.from(new Set(value)).sort()) text += pairText(name, each);
    return text;
  }
  // Not from the form parser, which gives strings and arrays of them.
  return name + String(value);
}

/** The library's other spellings of the URL, in its order (the URL as called is among the first two). */
function* otherSpellings(url: string): Generator<string> {
  yield removePort(url);
  yield addPort(url);
  const normalized = new URL(url).toString();
  const withoutPort = removePort(normalized);
  const withPort = addPort(normalized);
  yield withoutPort;
  yield withPort;
  yield withLegacyQuery(withoutPort);
  yield withLegacyQuery(withPort);
}

// As the library splits a URL: without normalizing it, so that the path keeps the exact characters
// Twilio signed; the port starts at a colon after an IPv6 literal's closing bracket.
function splitUrl(url: string) {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return null;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

function addPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

function removePort(url: string): string {
  const parts = splitUrl(url);
  if (!parts) return url;
  return parts.scheme + parts.userInfo + parts.host + parts.rest;
}

function withLegacyQuery(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1 || queryStart === url.length - 1) return url;
  return url.slice(0, queryStart) + '?' + stringifyQuery(parseQuery(url.slice(queryStart + 1)));
}
