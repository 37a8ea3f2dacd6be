// What Ayni writes to its logs during a conversation: one 'turn' line per message, with the
// learner masked, and never the phone number or anything the learner wrote.
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis, type RedisServerHandle } from '../support/redis-server.js';
import { useTestRedis } from '../support/test-redis.js';
import {
  inboundParams,
  signedTwilioRequest,
  signTwilioRequest,
  TEST_TWILIO,
  twilioForm,
} from '../support/twilio-signing.js';
import { firstLesson } from './course-walk.js';
import {
  injectTransport,
  Learner,
  WEBHOOK_PATH,
  WEBHOOK_URL,
  testApp,
  useTestApp,
  type Turn,
} from './helpers.js';

const { url, prefix } = useTestRedis();
const L = firstLesson();
const PHONE = '+59171234567';
const PHONE_FORMS = [PHONE, '59171234567', '71234567', `whatsapp:${PHONE}`];
const MASKED = '+591*****567';

/** A pino destination that keeps every line. */
function captureLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

const { lines, stream: capture } = captureLines();
const app = await useTestApp(url, prefix, { logStream: capture, env: { LOG_LEVEL: 'info' } });

/** Bodies no reply or text of Ayni contains, so that finding one in a log can only be a leak. */
const SECRET_BODIES = [
  'ZEBRA-QUOKKA',
  'PLATYPUS-NARWHAL',
  'AXOLOTL-WOMBAT',
  'CAPYBARA-PANGOLIN',
  'OKAPI-TAPIR',
  'FORGED-MARMOSET',
  'MALFORMED-LEMUR',
];

interface LogLine {
  msg?: string;
  level?: number;
  learner?: string;
  state?: string;
  ms?: number;
  keyword?: string;
}

describe('the logs of a conversation', () => {
  const turns: Turn[] = [];

  beforeAll(async () => {
    const sms = new Learner(PHONE, injectTransport(app));
    const whatsapp = new Learner(`whatsapp:${PHONE}`, injectTransport(app));
    const send = async (learner: Learner, body: string) => {
      const turn = await learner.send(body);
      expect(turn.status, `${body}: ${turn.body}`).toBe(200);
      turns.push(turn);
    };
    await send(sms, 'Hola');
    await send(sms, 'ZEBRA-QUOKKA'); // not a language: asked again
    await send(sms, '1');
    await send(sms, 'PLATYPUS-NARWHAL'); // not a menu option
    await send(sms, L.sectionNumber);
    await send(sms, 'AXOLOTL-WOMBAT'); // not a lesson number
    await send(sms, L.number);
    await send(whatsapp, '1');
    await send(sms, 'STOP');
    await send(sms, 'CAPYBARA-PANGOLIN'); // opted out: no answer
    await send(whatsapp, 'ALTA');
    await send(sms, 'BORRAR');
    await send(whatsapp, 'OKAPI-TAPIR'); // a new learner again: the welcome

    // Refused requests must not leak either: a forged signature, and a signed but malformed body.
    const forged = inboundParams({ from: PHONE, body: 'FORGED-MARMOSET' });
    const forgedResponse = await app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signTwilioRequest('wrong-token', WEBHOOK_URL, forged),
      },
      payload: twilioForm(forged),
    });
    expect(forgedResponse.statusCode).toBe(403);
    const { MessageSid: _sid, ...malformed } = inboundParams({ from: PHONE, body: 'MALFORMED-LEMUR' });
    const malformedResponse = await app.inject({
      method: 'POST',
      url: WEBHOOK_PATH,
      ...signedTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, malformed),
    });
    expect(malformedResponse.statusCode).toBe(400);
  });

  const parsed = (): LogLine[] => lines.map((line) => JSON.parse(line) as LogLine);

  it('has one "turn" line per message, with the learner masked, the state and the time taken', () => {
    const turnLines = parsed().filter((line) => line.msg === 'turn');
    expect(turnLines).toHaveLength(turns.length);
    for (const line of turnLines) {
      expect(line.learner).toBe(MASKED);
      expect(typeof line.state).toBe('string');
      expect(line.state).not.toBe('');
      expect(typeof line.ms).toBe('number');
      expect(line.ms).toBeGreaterThanOrEqual(0);
    }
    const states = turnLines.map((line) => line.state);
    expect(states.slice(0, 3)).toEqual(['welcome', 'welcome', 'menu']);
    expect(states[4]).toBe(`list/${L.section.id}/p1`);
    expect(states[6]).toBe(`flow/${L.lesson.id}/${L.path[0]?.id}`);
    // "1" on WhatsApp moves the learner on in the lesson: to the next step, or further when
    // the engine reads ahead
    const [, flow, step] = (states[7] ?? '').split('/');
    expect(flow).toBe(L.lesson.id);
    expect(L.path.findIndex((s) => s.id === step)).toBeGreaterThanOrEqual(1);
    expect(states.at(-2)).toBe('deleted');
    expect(states.at(-1)).toBe('welcome');
    expect(turnLines.map((line) => line.keyword).filter(Boolean)).toEqual(['stop', 'start', 'delete']);
  });

  it('logs the refused signature', () => {
    expect(parsed().some((line) => line.msg?.includes('signature'))).toBe(true);
  });

  it('never contains the phone number, in any form', () => {
    expect(lines.length).toBeGreaterThan(turns.length);
    for (const line of lines) {
      for (const form of PHONE_FORMS) expect(line).not.toContain(form);
    }
  });

  it('never contains what the learner wrote', () => {
    for (const line of lines) {
      for (const body of SECRET_BODIES) expect(line).not.toContain(body);
    }
  });
});

describe('the logs when Redis refuses to save a session', () => {
  // Redis answers a write with an error reply: OOM under maxmemory-policy noeviction (the policy
  // BullMQ requires), READONLY after a failover, MISCONF, or NOPERM under an ACL. The ACL makes it
  // deterministic here: this user may do anything except SET a key other than a lock, so the turn
  // takes the lock, reads the session, runs, and fails only when it writes the session.
  const own = captureLines();
  let server: RedisServerHandle;
  let refusing: FastifyInstance;

  beforeAll(async () => {
    server = await startRedis();
    const admin = new Redis(server.url);
    // Everything on every key, except SET, which a selector allows on lock keys only.
    await admin.call(
      'ACL',
      'SETUSER',
      'ayni',
      'on',
      '>secret',
      '~*',
      '&*',
      '+@all',
      '-set',
      '(+set ~*:lock)',
    );
    admin.disconnect();
    refusing = await testApp(`redis://ayni:secret@127.0.0.1:${server.port}`, 'refusing:', {
      logStream: own.stream,
      env: { LOG_LEVEL: 'info' },
    });
  });
  afterAll(async () => {
    await refusing?.close();
    await server?.stop();
  });

  it('fails the turn, and logs neither the phone number nor what was written', async () => {
    const learner = new Learner(PHONE, injectTransport(refusing));
    const turn = await learner.send('ZEBRA-QUOKKA');
    expect(turn.status).toBeGreaterThanOrEqual(500);
    // The refusal happened and was logged (so the check below is not vacuous).
    expect(own.lines.some((line) => (JSON.parse(line) as LogLine).level === 50)).toBe(true);
    for (const line of own.lines) {
      for (const form of PHONE_FORMS) expect(line).not.toContain(form);
      expect(line).not.toContain('ZEBRA-QUOKKA');
    }
  });
});
