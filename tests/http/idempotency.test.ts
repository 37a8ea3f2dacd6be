// Twilio retries a webhook it got no answer to, with the same MessageSid. A retry must get the
// same answer and must not move the conversation a second time; an old one must move nothing.
import { describe, expect, it } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { randomSid } from '../support/twilio-signing.js';
import type { Step } from '../../src/content/flow-schema.js';
import { firstLesson, textsFor } from './course-walk.js';
import { bolivianNumber, injectTransport, Learner, rawSession, readSession, useTestApp } from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const app = await useTestApp(url, prefix);

const L = firstLesson();
const FIRST_STEP = L.path[0] as Step;

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
    const first = await learner.send(L.sectionNumber, sid);
    const retried = await learner.send(L.sectionNumber, sid);
    expect(first.text).toContain(textsFor('es', 'whatsapp').title(L.lesson));
    expect(retried.body).toBe(first.body);

    const after = await readSession(redis, prefix, learner.phone);
    expect(after.turns).toBe(before.turns + 1);
    expect(after.snapshot.value).toEqual({ list: { [L.section.id]: 'p1' } });

    // Had the retry been taken as a new message, the learner would have left the list.
    const next = await learner.send(L.number);
    expect(next.text).toContain(textsFor('es', 'whatsapp').step(L.lesson, FIRST_STEP));
  });

  it('sent five times at once, is handled once and answered the same each time', async () => {
    const learner = newLearner();
    await learner.sendAll('Hola', '1', L.sectionNumber);
    const before = await readSession(redis, prefix, learner.phone);

    const sid = randomSid();
    const replies = await Promise.all(Array.from({ length: 5 }, () => learner.send(L.number, sid)));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expect(reply.body).toBe(replies[0]?.body);
    }
    expect(replies[0]?.text).toContain(textsFor('es', 'sms').step(L.lesson, FIRST_STEP));
    const after = await readSession(redis, prefix, learner.phone);
    expect(after.turns).toBe(before.turns + 1);
    expect(after.seen.filter((s) => s === sid)).toHaveLength(1);
  });
});

describe('an older MessageSid replayed after a newer one', () => {
  it('advances nothing and sends nothing again', async () => {
    const learner = newLearner();
    await learner.sendAll('Hola', '1');
    const older = await learner.send(L.sectionNumber); // the list of lessons
    const newer = await learner.send(L.number); // the lesson's first step
    expect(newer.text).toContain(textsFor('es', 'sms').step(L.lesson, FIRST_STEP));
    const before = await rawSession(redis, prefix, learner.phone);

    const replay = await learner.send(L.sectionNumber, older.sid);
    expect(replay.status).toBe(200);
    expect(replay.messages).toEqual([]);
    expect(await rawSession(redis, prefix, learner.phone)).toBe(before);

    // And the newest one, replayed, is answered as before, still without moving.
    const newest = await learner.send(L.number, newer.sid);
    expect(newest.body).toBe(newer.body);
    expect(await rawSession(redis, prefix, learner.phone)).toBe(before);
  });
});
