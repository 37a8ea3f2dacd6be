// A signed request captured on the wire and sent again later is still correctly signed: Twilio's
// signature has no time in it. Such a replay must never change anything, however many messages
// came after it, and also after BORRAR erased the learner.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { learnerMemory } from '../../scripts/bench/memory-per-learner.js';
import { learnerId } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';
import { sendsThrough, walkCourse } from '../../src/content-tools/course-walk.js';
import { realContent } from '../support/content.js';
import { firstLesson } from './course-walk.js';
import { bolivianNumber, injectTransport, Learner, rawSession, readSession, testApp } from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const keys = new Keyspace(prefix);
let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp(url, prefix);
});
afterAll(async () => {
  await app?.close();
});

const L = firstLesson();
const newLearner = () => new Learner(bolivianNumber(), injectTransport(app));
/** Ten messages that each move the learner or are remembered: more than the session's last 8 ids. */
const TEN_NEWER = [
  'MENU',
  L.sectionNumber,
  L.number,
  '1',
  '1',
  'MENU',
  L.sectionNumber,
  L.number,
  '1',
  'MENU',
];

describe('a replayed STOP', () => {
  it('after ten newer messages and START, leaves the learner subscribed', async () => {
    const learner = newLearner();
    await learner.sendAll('Hola', '1');
    const stop = await learner.send('STOP');
    expect((await readSession(redis, prefix, learner.phone)).optedOut).toBe(true);
    await learner.sendAll(...TEN_NEWER); // while opted out: each remembered, none answered
    await learner.sendAll('START', ...TEN_NEWER);
    const before = await rawSession(redis, prefix, learner.phone);
    expect(JSON.parse(before!).optedOut).toBe(false);

    const replay = await learner.send('STOP', stop.sid);
    expect(replay.status).toBe(200);
    expect(replay.messages).toEqual([]);
    expect(await rawSession(redis, prefix, learner.phone)).toBe(before);
  });
});

describe('a replayed BORRAR', () => {
  it('after newer messages, erases nothing again', async () => {
    const learner = newLearner();
    await learner.sendAll('Hola', '1');
    const erase = await learner.send('BORRAR');
    expect(await rawSession(redis, prefix, learner.phone)).toBeNull();
    await learner.sendAll('Hola', '1', ...TEN_NEWER);
    const before = await rawSession(redis, prefix, learner.phone);
    expect(before).not.toBeNull();

    const replay = await learner.send('BORRAR', erase.sid);
    expect(replay.status).toBe(200);
    expect(replay.messages).toEqual([]);
    expect(await rawSession(redis, prefix, learner.phone)).toBe(before);
    expect(await redis.sismember(keys.learnerIndex(learnerId(learner.phone)), learnerId(learner.phone))).toBe(
      1,
    );
  });

  it('right after BORRAR, and any older message replayed then, bring nothing back', async () => {
    const learner = newLearner();
    const hello = await learner.send('Hola');
    await learner.sendAll('1', 'MENU');
    const stop = await learner.send('STOP');
    await learner.sendAll('START');
    const erase = await learner.send('BORRAR');

    for (const [body, sid] of [
      ['BORRAR', erase.sid],
      ['STOP', stop.sid],
      ['Hola', hello.sid],
    ] as const) {
      const replay = await learner.send(body, sid);
      expect(replay.status, body).toBe(200);
      expect(replay.messages, body).toEqual([]);
      expect(await rawSession(redis, prefix, learner.phone), body).toBeNull();
    }
    expect(await redis.sismember(keys.learnerIndex(learnerId(learner.phone)), learnerId(learner.phone))).toBe(
      0,
    );
  });
});

describe('the replay log', () => {
  it('survives BORRAR under the keyed id alone, 6 bytes per message', async () => {
    const learner = newLearner();
    await learner.sendAll('Hola', '1', 'BORRAR');
    const id = learnerId(learner.phone);
    expect(await redis.strlen(keys.replayLog(id))).toBe(3 * 6);
    expect(await redis.keys(`${prefix}*${id}*`)).toEqual([keys.replayLog(id)]);
  });
});

describe('memory', () => {
  // As the benchmark measures it (scripts/bench/memory-per-learner.ts): learners who each
  // finished lesson 1, MEMORY USAGE over their keys and their share of the learner index and of
  // the due-nudge sets. Target: at most 1.5 KB.
  it('stays at most 1,536 bytes per learner after a lesson, replay log included', async () => {
    const runtime = realContent();
    const lesson = runtime.course.sections[0]!.flows[0]!;
    // what a learner on WhatsApp sends, from first contact to the end of lesson 1
    const script = sendsThrough(walkCourse(runtime, 'es', 'whatsapp'), lesson.id);
    const learners = Array.from(
      { length: 40 },
      () => new Learner(`whatsapp:${bolivianNumber()}`, injectTransport(app)),
    );
    for (const learner of learners) await learner.sendAll(...script);
    for (const learner of learners) {
      expect(await redis.strlen(keys.replayLog(learnerId(learner.phone)))).toBe(script.length * 6);
    }
    const { bytes, encodings } = await learnerMemory(
      redis,
      keys,
      learners.map((l) => learnerId(l.phone)),
    );
    const perLearner = Math.round(bytes.total);
    const each = Object.entries(bytes).map(([what, n]) => `${what} ${Math.round(n)}`);
    console.log(
      `bytes per learner after lesson 1 (${script.length} messages): ${each.join(', ')}; encodings ${JSON.stringify(encodings)}`,
    );
    expect(perLearner).toBeLessThanOrEqual(1536);
  });
});
