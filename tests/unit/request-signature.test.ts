// Our X-Twilio-Signature check against the library's twilio.validateRequest, which the webhook
// used before: the same verdict for genuine signatures (of the URL as called, with or without the
// port, normalized) and for forged or damaged ones; and no more HMACs than needed.
import * as crypto from 'node:crypto';
import { parse as parseQuery, stringify as stringifyQuery } from 'node:querystring';
import fc from 'fast-check';
import twilio from 'twilio';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { requestSignatureCheck } from '../../src/routes/twilio/request-signature.js';
import { inboundParams, signTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';

// Counts the HMACs our check computes; the library requires its own crypto, which stays as it is.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof crypto>();
  return { ...actual, createHmac: vi.fn(actual.createHmac) };
});
const hmacs = vi.mocked(crypto.createHmac);

type Params = Record<string, string | string[]>;

const TOKEN: string = TEST_TWILIO.authToken;
const check = requestSignatureCheck(TOKEN);
const library = (signature: string, url: string, params: Params, token = TOKEN) =>
  twilio.validateRequest(token, signature, url, params);
const sign = (url: string, params: Params, token = TOKEN) =>
  twilio.getExpectedTwilioSignature(token, url, params);

const oddText = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom('', ' ', 'Body', 'body', 'Body ', 'Body\u200b', '1', '10', '2', 'a[]'),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'ñ',
      'ä',
      "ch'",
      '’',
      '😀',
      '👩‍👩‍👧',
      '\uD83D',
      '\uDE00',
      '\u0000',
      '\r\n',
      '&=+%',
      '%27',
    ),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
);
const value = fc.oneof(
  { weight: 8, arbitrary: oddText },
  // a repeated key, as the form parser gives it: its values in an array, duplicates included
  { weight: 2, arbitrary: fc.array(oddText, { minLength: 2, maxLength: 4 }) },
);
const params = fc.dictionary(oddText, value, { maxKeys: 12 }) as fc.Arbitrary<Params>;

// A URL as Twilio calls it, and the spellings of it that the library accepts a signature of.
const host = fc.constantFrom(
  'ayni.example.org',
  'AYNI.Example.org',
  'localhost',
  '127.0.0.1',
  '[::1]',
  'u:p@x.org',
);
const port = fc.constantFrom('', ':443', ':80', ':3000', ':8443');
const path = fc.constantFrom(
  '/twilio/messages',
  '/twilio/status',
  '/prefix/twilio/messages',
  '/a/../twilio/messages',
);
const query = fc.constantFrom(
  '',
  '?',
  '?a=1',
  '?a=1&b=2',
  "?name='x'",
  '?name=%27x%27',
  '?a=b c',
  '?a=ñ',
  '?a=1&a=2',
  '?bodySHA256=abc',
  '?x=%zz',
);
const scheme = fc.constantFrom('https://', 'http://');
const url = fc.tuple(scheme, host, port, path, query).map((parts) => parts.join(''));

function spellings(called: string): string[] {
  const normalized = new URL(called).toString();
  const queryStart = normalized.indexOf('?');
  const legacy =
    queryStart === -1
      ? normalized
      : normalized.slice(0, queryStart) + '?' + stringifyQuery(parseQuery(normalized.slice(queryStart + 1)));
  const toggledPort = called.match(/^(https?:\/\/[^/]*?)(:\d+)?(\/.*)$/);
  const other = toggledPort
    ? toggledPort[2]
      ? `${toggledPort[1]}${toggledPort[3]}`
      : `${toggledPort[1]}${called.startsWith('https') ? ':443' : ':80'}${toggledPort[3]}`
    : called;
  return [called, other, normalized, legacy];
}

/** The ways a signature goes wrong: damaged, for other params, under another token, not a signature. */
function forgeries(signature: string, called: string, p: Params): string[] {
  const flipped = signature.slice(0, 5) + (signature[5] === 'A' ? 'B' : 'A') + signature.slice(6);
  const [firstKey] = Object.keys(p);
  const changed: Params = { ...p };
  if (firstKey !== undefined) {
    const v = p[firstKey];
    changed[firstKey] = typeof v === 'string' ? v + 'x' : [...(v ?? []), 'x'];
  }
  const removed: Params = { ...p };
  if (firstKey !== undefined) delete removed[firstKey];
  return [
    flipped,
    signature.toLowerCase(),
    signature.slice(0, -1),
    signature + '=',
    signature + ' ',
    ` ${signature.slice(1)}`,
    sign(called, changed),
    sign(called, removed),
    sign(called, { ...p, Extra: '1' }),
    sign(called, p, 'another-auth-token-0123456789abc'),
    '',
    'not base64 at all!!',
    '!'.repeat(28),
    'é'.repeat(14),
    'A'.repeat(28),
    crypto.createHmac('sha256', TOKEN).update(called).digest('base64'),
  ];
}

describe('requestSignatureCheck', () => {
  beforeEach(() => {
    hmacs.mockClear();
  });

  it('accepts what the library accepts and refuses what it refuses, for thousands of requests', () => {
    let genuine = 0;
    fc.assert(
      fc.property(url, params, fc.nat(3), (called, p, which) => {
        const signedUrl = spellings(called)[which] ?? called;
        const signature = sign(signedUrl, p);
        const verdict = library(signature, called, p);
        expect(check(signature, called, p), `signed ${signedUrl}, called ${called}`).toBe(verdict);
        if (verdict) genuine++;
        for (const forged of forgeries(signature, called, p)) {
          expect(check(forged, called, p), `${forged} for ${called}`).toBe(library(forged, called, p));
        }
      }),
      { numRuns: 2_000 },
    );
    // every spelling the library accepts is among those generated: most signatures are genuine
    expect(genuine).toBeGreaterThan(1_800);
  });

  it('accepts the signature of the URL as called, of the other port spelling, and of the normalized URL', () => {
    const p = inboundParams({ from: 'whatsapp:+59171234567', body: "Ch'uxña ñanqha & <b> ’ 😀" });
    for (const called of [
      'https://ayni.example.org/twilio/messages',
      'https://ayni.example.org:443/twilio/messages',
      'http://localhost:3000/twilio/messages?x=1',
      "https://ayni.example.org/twilio/messages?name='x'",
    ]) {
      for (const signedUrl of spellings(called)) {
        expect(library(sign(signedUrl, p), called, p), signedUrl).toBe(true);
        expect(check(sign(signedUrl, p), called, p), signedUrl).toBe(true);
      }
    }
  });

  it('agrees with the signatures the webhook tests send (tests/support/twilio-signing.ts)', () => {
    const called = 'http://localhost:3000/twilio/messages';
    const p = inboundParams({ from: '+59171234567', body: 'hola' });
    const signature = signTwilioRequest(TOKEN, called, p);
    expect(check(signature, called, p)).toBe(true);
    expect(check(signature, called, { ...p, Body: 'hola!' })).toBe(false);
  });

  it('computes one HMAC for a genuine request, none for a header of the wrong length', () => {
    const called = 'https://ayni.example.org/twilio/messages';
    const p = inboundParams({ from: '+59171234567', body: 'hola' });
    expect(check(sign(called, p), called, p)).toBe(true);
    expect(hmacs).toHaveBeenCalledTimes(1);

    hmacs.mockClear();
    for (const junk of ['', 'short', 'x'.repeat(29), 'é'.repeat(14), 'é'.repeat(28)])
      expect(check(junk, called, p)).toBe(false);
    expect(hmacs).not.toHaveBeenCalled();
  });

  it('tries each spelling once: two HMACs for a forged request to a plain URL (the library: six)', () => {
    const called = 'https://ayni.example.org/twilio/messages';
    const p = inboundParams({ from: '+59171234567', body: 'hola' });
    expect(check('A'.repeat(27) + '=', called, p)).toBe(false);
    expect(hmacs).toHaveBeenCalledTimes(2);
  });
});
