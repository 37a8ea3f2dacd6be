// Property-based fuzzing of POST /twilio/messages on the real app (app.inject, real course, real
// Redis). Thousands of generated bodies, each with a VALID Twilio signature over exactly what is
// sent, so that they all get past the signature check into the form parser, the schema and the
// engine: fields missing, repeated, renamed with bracket notation, huge, full of odd Unicode (lone
// surrogates, RTL and zero-width marks, emoji, NUL), wrongly encoded, plus unknown fields named
// anything, __proto__ and constructor included. From a small pool of senders, one of them a
// coordinator with a group, so that sessions build up, groups get joined and commands run.
//
// Properties: never a 5xx (503 is the only 5xx Ayni may answer, and only while Redis is away; it
// is up here), never a 403 (the signatures are valid), a 200 is always well-formed TwiML, the
// process never crashes, and every session left in Redis is a valid SessionRecord whose snapshot
// restores in the real machine. Deterministic: a fixed seed; bounded: 2,000 requests.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAddress } from '../../src/privacy/phone.js';
import { useTestRedis } from '../support/test-redis.js';
import { inboundParams, TEST_TWILIO } from '../support/twilio-signing.js';
import {
  injectTransport,
  Learner,
  parseTwiml,
  PUBLIC_URL,
  sessionKey,
  testApp,
  WEBHOOK_PATH,
} from '../http/helpers.js';
import { allSessionProblems, sessionProblems } from './session-validity.js';
import { ENCODINGS, signedForm, type Encoding, type FormPair } from './signed-form.js';

// FUZZ_SEED and FUZZ_RUNS explore further by hand; the suite always runs the fixed seed.
const SEED = Number(process.env.FUZZ_SEED ?? 0x61796e69); // "ayni"
const RUNS = Number(process.env.FUZZ_RUNS ?? 2_000);

const { redis, url, prefix } = useTestRedis();
let app: FastifyInstance;
let joinCode = '';

const COORDINATOR = '+59171900000';
const LEARNERS = ['+59171900001', '+59171900002', '+59171900003', '+59171900004', '+59171900005'];

// A crash of the process under test would show here (vitest also reports it, this says where).
const crashes: unknown[] = [];
const onCrash = (error: unknown): void => {
  crashes.push(error);
};

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  app = await testApp(url, prefix, { env: { ADMIN_TOKEN: 'fuzz-admin-token-of-32-characters!' } });
  await app.coordinators.register(COORDINATOR, 'Fuzz');
  const group = await app.groups.create({ name: 'Feria', locale: 'es', coordinator: COORDINATOR });
  joinCode = group.code;
});
afterAll(async () => {
  await app?.close();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
});

// ---- generators -------------------------------------------------------------------------------

/** Characters that break naive code: controls, bidi and zero-width marks, lone surrogates, emoji. */
const ODD = [
  '\u0000',
  '\u0001',
  '\u0008',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u00ad',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u200e',
  '\u200f',
  '\u202a',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u2028',
  '\u2029',
  '\u2060',
  '\u3000',
  '\ufeff',
  '\ufff9',
  '\ufffd',
  '\ufffe',
  '\uffff',
  '\ud800',
  '\udbff',
  '\udc00',
  '\udfff',
  '\udfff\ud800',
  '\u{1f469}\u200d\u{1f33e}',
  '\u{1f1e7}\u{1f1f4}',
  '\u{1f3f3}\ufe0f\u200d\u{1f308}',
  '1\ufe0f\u20e3',
  '\u{1f51f}',
  '\u{1f44d}\u{1f3fd}',
  '\u{10ffff}',
  '\u{e0001}',
  'e\u0301\u0301\u0301',
  'Z\u0351\u0364\u036b\u0334\u0320',
  'ñ',
  'ß',
  'İ',
  'ﬁ',
  'Ⅻ',
  '١٢٣',
  '۴',
  '１',
  '𝟏',
  'مرحبا',
  'שָׁלוֹם',
  'jallalla',
  "k'ita",
  '\r\n',
  '\n',
  '\r',
  '\t',
  '&',
  '=',
  '+',
  '%',
  '%zz',
  '%E0%A4',
  '%00',
  '%2',
  '#',
  ';',
  '?',
  '[]',
  '<',
  '>',
  '"',
  "'",
  '&amp;',
  '&#0;',
  '<![CDATA[',
  ']]>',
  '</Message>',
  '<Response/>',
  '{{lang}}',
  '$t(menu)',
  '${1}',
  '__proto__',
  'constructor',
  'toString',
  '999999999999999999999',
  '1e309',
  'NaN',
  '-0',
  ' ',
];

/** What learners really send, and the keywords and commands, so that turns move the machine. */
const WORDS = [
  'Hola',
  'hola',
  '1',
  '2',
  '3',
  '4',
  '5',
  '9',
  '0',
  '10',
  '1.',
  ' 2 ',
  'si',
  'Sí!!',
  'no',
  'jisa',
  'arí',
  'MENU',
  'menú',
  'AYUDA',
  'HELP',
  'IDIOMA',
  'LANG',
  'STOP',
  'BAJA',
  'START',
  'ALTA',
  'BORRAR',
  'SALIR',
  'UNIRME',
  'GRUPO',
  'QUIZ',
  'AVISO',
  '',
];

const oddPiece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...ODD) },
  { weight: 2, arbitrary: fc.constantFrom(...WORDS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)) },
);
const oddText = fc.array(oddPiece, { maxLength: 10 }).map((parts) => parts.join(''));

/** Long values: around Body's 4,096-character limit (in code points), and past the 32 KB body limit. */
const hugeText = fc
  .tuple(
    fc.constantFrom('a', '1 ', 'ñ', '\u{1f469}\u200d\u{1f33e}', '\u0000', '\u200b', 'ש', '\ud800', '%', '&'),
    fc.oneof(
      fc.constantFrom(4_095, 4_096, 4_097),
      fc.integer({ min: 1_000, max: 12_000 }),
      fc.integer({ min: 30_000, max: 40_000 }),
    ),
  )
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length));

const body = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...WORDS) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('UNIRME', 'unirme', 'GRUPO', 'grupo', 'QUIZ', 'AVISO', 'SALIR'), oddText)
      .map(([command, rest]) => `${command} ${rest}`),
  },
  { weight: 1, arbitrary: fc.constantFrom('UNIRME {code}', '{code}', 'QUIZ {code} 1', 'QUIZ {code} 99') },
  { weight: 4, arbitrary: oddText },
  { weight: 1, arbitrary: hugeText },
);

const hex32 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 32, maxLength: 32 });
/** Mostly fresh MessageSids, sometimes one of a few reused ones: Twilio's retries. */
const messageSid = fc.oneof(
  { weight: 9, arbitrary: hex32.map((h) => `SM${h}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('SM' + '0'.repeat(32), 'SM' + 'f'.repeat(32), 'MM' + 'a'.repeat(32)),
  },
);

/** The coordinator more often than a learner: their commands (GRUPO <name>) put their text in replies. */
const sender = fc
  .oneof(
    { weight: 5, arbitrary: fc.constantFrom(...LEARNERS) },
    { weight: 2, arbitrary: fc.constant(COORDINATOR) },
  )
  .chain((phone) => fc.constantFrom(phone, `whatsapp:${phone}`));

const FIELDS = [
  'From',
  'MessageSid',
  'Body',
  'To',
  'AccountSid',
  'SmsSid',
  'NumMedia',
  'ProfileName',
  'WaId',
];
const field = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('From', 'MessageSid', 'Body') },
  { weight: 1, arbitrary: fc.constantFrom(...FIELDS) },
);

const strangeKey = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'valueOf',
      '__defineGetter__',
      'pop',
      'length',
      'from',
      'FROM',
      'From ',
      ' From',
      'Body\u0000',
      'Bоdy', // Cyrillic о
      '',
      '[]',
      'a[b][c]',
      '__proto__[From]',
      'constructor[prototype][x]',
      'MessageSid.0',
      'ErrorCode',
      'MediaUrl0',
      'NumMedia',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 16 }) },
  { weight: 1, arbitrary: oddText },
);

type Mutation =
  | { kind: 'drop'; field: string }
  | { kind: 'set'; field: string; value: string }
  | { kind: 'repeat'; field: string; value: string | null }
  | { kind: 'bracket'; field: string; suffix: string; keepOriginal: boolean }
  | { kind: 'extra'; key: string; value: string }
  | { kind: 'encode'; field: string; encoding: Encoding };

const value = fc.oneof({ weight: 4, arbitrary: oddText }, { weight: 1, arbitrary: hugeText });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('drop' as const), field }),
  fc.record({ kind: fc.constant('set' as const), field, value }),
  fc.record({
    kind: fc.constant('repeat' as const),
    field,
    value: fc.option(value, { nil: null }),
  }),
  fc.record({
    kind: fc.constant('bracket' as const),
    field,
    suffix: fc.constantFrom('[]', '[0]', '[1]', '[a]', '[__proto__]', '[constructor]', '.x', '[]['),
    keepOriginal: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('extra' as const), key: strangeKey, value }),
  fc.record({ kind: fc.constant('encode' as const), field, encoding: fc.constantFrom(...ENCODINGS) }),
);

// Media types are case-insensitive (RFC 9110), but Fastify matches a parser's type as written and
// answers 415 before anything of Ayni runs. Twilio writes it in lower case; a 4xx is fine either way.
const UPPER_CASE_FORM = 'Application/X-WWW-Form-Urlencoded';

interface Case {
  from: string;
  body: string;
  sid: string;
  mutations: Mutation[];
  encoding: Encoding;
  order: 'twilio' | 'sorted' | 'reversed';
  query: string;
  contentType: string;
}

const fuzzCase: fc.Arbitrary<Case> = fc.record({
  from: sender,
  body,
  sid: messageSid,
  mutations: fc.array(mutation, { maxLength: 4 }),
  encoding: fc.oneof(
    { weight: 6, arbitrary: fc.constant<Encoding>('standard') },
    fc.constantFrom(...ENCODINGS),
  ),
  order: fc.constantFrom('twilio', 'sorted', 'reversed'),
  query: fc.oneof(
    { weight: 12, arbitrary: fc.constant('') },
    fc.constantFrom('?a=1', '?From=%2B59171900009&Body=x', '?__proto__=1', '?x=%E2%80%AE'),
  ),
  contentType: fc.oneof(
    { weight: 8, arbitrary: fc.constant('application/x-www-form-urlencoded') },
    fc.constantFrom(
      'application/x-www-form-urlencoded; charset=utf-8',
      'application/x-www-form-urlencoded; charset=UTF-8',
      UPPER_CASE_FORM,
    ),
  ),
});

function pairsOf(c: Case): FormPair[] {
  const params = inboundParams({
    from: c.from,
    body: c.body.replaceAll('{code}', joinCode),
    messageSid: c.sid,
  });
  let pairs: FormPair[] = Object.entries(params).map(([key, v]) => ({ key, value: v, encoding: c.encoding }));
  for (const m of c.mutations) {
    const at = 'field' in m ? pairs.findIndex((p) => p.key === m.field) : -1;
    switch (m.kind) {
      case 'drop':
        pairs = pairs.filter((p) => p.key !== m.field);
        break;
      case 'set':
        if (at >= 0) pairs[at] = { ...(pairs[at] as FormPair), value: m.value };
        else pairs.push({ key: m.field, value: m.value, encoding: c.encoding });
        break;
      case 'repeat': {
        const original = pairs[at]?.value ?? '';
        pairs.push({ key: m.field, value: m.value ?? original, encoding: c.encoding });
        break;
      }
      case 'bracket': {
        const original = pairs[at];
        if (!original) break;
        const renamed = { ...original, key: original.key + m.suffix };
        if (m.keepOriginal) pairs.push(renamed);
        else pairs[at] = renamed;
        break;
      }
      case 'extra':
        pairs.push({ key: m.key, value: m.value, encoding: c.encoding });
        break;
      case 'encode':
        pairs = pairs.map((p) => (p.key === m.field ? { ...p, encoding: m.encoding } : p));
        break;
    }
  }
  if (c.order === 'sorted') pairs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (c.order === 'reversed') pairs.reverse();
  return pairs;
}

// ---- the properties ---------------------------------------------------------------------------

/** XML 1.0 `Char`: what a TwiML document may contain at all. Twilio rejects anything else. */
const XML_CHARS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

/** A generated case, short enough to read in a failure message (long strings are cut). */
function describeCase(c: Case): string {
  return JSON.stringify(c, (_key, v: unknown) =>
    typeof v === 'string' && v.length > 80 ? `${v.slice(0, 60)}…(${v.length} chars)` : v,
  );
}

describe('POST /twilio/messages under fuzzing (fast-check, fixed seed)', () => {
  const statuses = new Map<number, number>();
  let checkedSessions = 0;

  // Every run is checked and every broken property recorded, rather than stopping at the first:
  // one bug must not hide the others behind it. (Shrinking would not help here anyway: the runs
  // share Redis, so a case's outcome depends on the ones before it.)
  it(`answers ${RUNS} validly signed, malformed bodies without a 5xx and keeps every session valid`, async () => {
    const violations: string[] = [];
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fuzzCase, async (c) => {
        run++;
        const pairs = pairsOf(c);
        const requestUrl = WEBHOOK_PATH + c.query;
        const signed = signedForm(TEST_TWILIO.authToken, PUBLIC_URL + requestUrl, pairs, c.contentType);
        const response = await app.inject({
          method: 'POST',
          url: requestUrl,
          headers: signed.headers,
          payload: signed.payload,
        });
        const status = response.statusCode;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        const problems: string[] = [];

        // Never a server error: no 5xx at all, since Redis is up (503 is for Redis being away).
        // Never a 403: the signature is valid, so the request gets past the check.
        const allowed = c.contentType === UPPER_CASE_FORM ? [200, 400, 413, 415] : [200, 400, 413];
        if (!allowed.includes(status)) problems.push(`answered ${status} ${response.body.slice(0, 200)}`);
        if (status === 200) {
          if (!String(response.headers['content-type']).startsWith('text/xml')) {
            problems.push(`a 200 of type ${String(response.headers['content-type'])}`);
          }
          if (!XML_CHARS.test(response.body)) problems.push('TwiML with a character XML forbids');
          try {
            if (parseTwiml(response.body).some((text) => text.length === 0))
              problems.push('an empty <Message>');
          } catch (error) {
            problems.push((error as Error).message);
          }
        }

        // The sender's session, if the request named a sender Ayni could have served.
        const from = signed.params.From;
        const address = typeof from === 'string' ? parseAddress(from) : null;
        if (address) {
          const key = sessionKey(prefix, address.phone);
          const raw = await redis.get(key);
          if (raw !== null) {
            checkedSessions++;
            problems.push(...sessionProblems(key, raw).problems);
          }
        }
        if (crashes.length) problems.push(`the process crashed: ${String(crashes[0])}`);
        if (problems.length) violations.push(`run ${run}: ${problems.join('; ')} for ${describeCase(c)}`);
        return true;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(violations.slice(0, 5), `${violations.length} of ${RUNS} requests broke a property`).toEqual([]);
    // The fuzzing reached every layer: the schema (400), the body limit (413) and the engine (200).
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS * 0.2);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(RUNS * 0.1);
    expect(statuses.get(413) ?? 0).toBeGreaterThan(0);
    expect(checkedSessions).toBeGreaterThan(RUNS * 0.2);
  }, 120_000);

  it('leaves every session under the prefix a valid SessionRecord that restores in the machine', async () => {
    const { keys, problems } = await allSessionProblems(redis, prefix);
    expect(problems).toEqual([]);
    expect(keys).toBeGreaterThan(0);
    // No turn left its per-learner lock behind.
    const [, locks] = await redis.scan('0', 'MATCH', `${prefix}{*}:lock`, 'COUNT', 10_000);
    expect(locks).toEqual([]);
  });

  // Found by the fuzzing above (until src/routes/twilio/twiml.ts dropped what XML forbids, these
  // were 500s), kept as plain examples: a group name is the coordinator's own text, echoed in
  // replies, and a control character in it, or the half of an emoji a 40-character cut leaves, is
  // not allowed in XML. The group is created all the same, so its name is in every later reply.
  it.each([
    ['a control character', 'GRUPO Feria\u0000Central', '+59171901001'],
    ['an escape character', 'GRUPO Feria \u001b[31m', '+59171901002'],
    ['U+FFFE', 'GRUPO Feria\ufffe', '+59171901003'],
    ['an emoji cut in half at 40 characters', `GRUPO a${'\u{1f33d}'.repeat(25)}`, '+59171901004'],
  ])(
    "answers a coordinator's GRUPO name with %s with TwiML, and the group can be joined",
    async (_what, text, phone) => {
      await app.coordinators.register(phone, 'Otra');
      const coordinator = new Learner(phone, injectTransport(app));
      await coordinator.sendAll('Hola', '1');
      const created = await coordinator.send(text);
      expect(created.status, created.body).toBe(200);
      expect(XML_CHARS.test(created.body)).toBe(true);

      const [group] = await app.groups.listByCoordinator(phone);
      expect(group).toBeDefined();
      const member = new Learner(`whatsapp:+5917191${phone.slice(-4)}`, injectTransport(app));
      const joined = await member.send(`UNIRME ${group?.code ?? ''}`);
      expect(joined.status, joined.body).toBe(200);
      expect(XML_CHARS.test(joined.body)).toBe(true);
    },
  );

  it('is still up and serving: health, readiness and a fresh conversation', async () => {
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const learner = new Learner('+59171900099', injectTransport(app));
    const [hello, spanish] = await learner.sendAll('Hola', '1');
    expect(hello?.messages.length).toBeGreaterThan(0);
    expect(spanish?.messages.length).toBeGreaterThan(0);
    expect(crashes).toEqual([]);
  });
});
