// Twilio retries a webhook it got no answer to, with the same MessageSid. A retry must get the
// same answer and must not move the conversation a second time; an old one must move nothing.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { randomSid } from '../support/twilio-signing.js';
import { bolivianNumber, injectTransport, Learner, rawSession, readSession, say, testApp } from './helpers.js';

const { redis, url, prefix } = useTestRedis();
let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp(url, prefix);
});
afterAll(async () => {
  await app?.close();
});

function newLearner(whatsapp = false): Learner {
  const phone = bolivianNumber();
  return new Learner(whatsapp ? `whatsapp:${phone}` : phone, injectTransport(app));
}

describe('the same MessageSid twice', () => {
  it('gets byte-identical TwiML for a first message and creates one session turn', async () => {
    const learner = newLearner();
    const sid = randomSid();
    const first = await learner.send('Hola', sid);
    const afterFirst = await rawSession(redis, prefix, learner.phone);
    const again = await learner.send('Hola', sid);

    expect(first.status).toBe(200);
    expect(first.messages.length).toBeGreaterThan(0);
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect(await rawSession(redis, prefix, learner.phone)).toBe(afterFirst);
    const session = await readSession(redis, prefix, learner.phone);
    expect(session.turns).toBe(1);
    expect(session.seen).toEqual([sid]);
  });

  it('mid-conversation, moves the learner one step only', async () => {
    const learner = newLearner(true);
    await learner.sendAll('Hola', '1');
    const before = await readSession(redis, prefix, learner.phone);
    expect(before.snapshot.value).toBe('menu');

    const sid = randomSid();
    const first = await learner.send('1', sid);
    const retried = await learner.send('1', sid);
    expect(first.text).toContain(say('es', 'whatsapp', 'what-is-a-cooperative:title'));
    expect(retried.body).toBe(first.body);

    const after = await readSession(redis, prefix, learner.phone);
    expect(after.turns).toBe(before.turns + 1);
    expect(after.snapshot.value).toBe('lessons');

    // Had the retry been taken as a new "1", the learner would now be inside lesson 1.
    const next = await learner.send('2');
    expect(next.text).toContain(say('es', 'whatsapp', 'values-and-principles:intro'));
  });

  it('sent five times at once, is handled once and answered the same each time', async () => {
    const learner = newLearner();
    await learner.sendAll('Hola', '1', '1');
    const before = await readSession(redis, prefix, learner.phone);

    const sid = randomSid();
    const replies = await Promise.all(Array.from({ length: 5 }, () => learner.send('1', sid)));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(replies[0]?.body);
    }
    expect(replies[0]?.text).toContain(say('es', 'sms', 'what-is-a-cooperative:intro'));
    const after = await readSession(redis, prefix, learner.phone);
    expect(after.turns).toBe(before.turns + 1);
    expect(after.seen.filter((s) => s === sid)).toHaveLength(1);
  });
});

describe('an older MessageSid replayed after a newer one', () => {
  it('advances nothing and sends nothing again', async () => {
    const learner = newLearner();
    await learner.sendAll('Hola', '1');
    const older = await learner.send('1'); // lessons list
    const newer = await learner.send('1'); // lesson 1, intro
    expect(newer.text).toContain(say('es', 'sms', 'what-is-a-cooperative:intro'));
    const before = await rawSession(redis, prefix, learner.phone);

    const replay = await learner.send('1', older.sid);
    expect(replay.status).toBe(200);
    expect(replay.messages).toEqual([]);
    expect(await rawSession(redis, prefix, learner.phone)).toBe(before);

    // And the newest one, replayed, is answered as before, still without moving.
    const newest = await learner.send('1', newer.sid);
    expect(newest.body).toBe(newer.body);
    expect(await rawSession(redis, prefix, learner.phone)).toBe(before);
  });
});
