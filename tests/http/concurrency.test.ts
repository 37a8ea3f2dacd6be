// One learner, twenty messages at the same moment, spread over three Ayni processes that share
// one Redis: the per-learner lock must serialize them so that no turn is lost or applied twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppProcess, type AppProcess } from '../support/app-server.js';
import { REMEMBERED_MESSAGE_IDS } from '../../src/store/session-store.js';
import { handledInOrder } from '../support/replay-log.js';
import { useTestRedis } from '../support/test-redis.js';
import { randomSid } from '../support/twilio-signing.js';
import { firstLesson } from './course-walk.js';
import {
  bolivianNumber,
  fetchTransport,
  Learner,
  parseTwiml,
  readSession,
  testEnv,
  type Transport,
} from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const PROCESSES = 3;
const MESSAGES = 20;
/** What every one of the twenty says: "2" opens the second lesson from the list, so few replies repeat. */
const BODY = '2';
let servers: AppProcess[] = [];

beforeAll(async () => {
  servers = await Promise.all(
    Array.from({ length: PROCESSES }, () =>
      startAppProcess({ env: testEnv(url, prefix, { LOG_LEVEL: 'warn' }) }),
    ),
  );
}, 60_000);

afterAll(async () => {
  // Normally already stopped by the last test; this only cleans up after a failure.
  await Promise.all(servers.map((server) => server.stop()));
});

/** Round-robin over the processes, like a load balancer. */
function balanced(): Transport {
  let next = 0;
  return (request) => {
    const server = servers[next++ % servers.length];
    if (!server) throw new Error('no app process');
    return fetchTransport(server.url)(request);
  };
}

const L = firstLesson();

/** Welcome → Spanish → the lesson list → the first lesson: at its first step, a message. */
async function intoLessonOne(learner: Learner): Promise<void> {
  await learner.sendAll('Hola', '1', L.sectionNumber, L.number);
}

describe('twenty simultaneous messages from one number on three processes', () => {
  it('are all answered, and every one of them is applied exactly once', async () => {
    const learner = new Learner(bolivianNumber(), balanced());
    await intoLessonOne(learner);
    const before = await readSession(redis, prefix, learner.phone);
    expect(L.path[0]?.type).toBe('message');
    expect(before.snapshot.value).toEqual({ flow: { [L.lesson.id]: L.path[0]?.id } });

    // The same text every time: message steps go on, a question takes it as its answer, or as a
    // wrong answer and then reveals, a finished lesson goes back to the list, where it opens the
    // next lesson. So the replies and the final state depend only on how many turns ran, not on
    // which message ran when.
    const sids = Array.from({ length: MESSAGES }, () => randomSid());
    const replies = await Promise.all(sids.map((sid) => learner.send(BODY, sid)));

    for (const reply of replies) {
      expect(reply.status, reply.body).toBe(200);
      expect(reply.contentType).toMatch(/^text\/xml/);
      expect(reply.messages.length).toBeGreaterThan(0);
    }
    const after = await readSession(redis, prefix, learner.phone);
    expect(after.turns).toBe(before.turns + MESSAGES);
    // The replay log keeps every handled message once, in the order the turns ran (after the
    // messages into the lesson); the session keeps only the newest.
    const handled = await handledInOrder(redis, prefix, learner.phone, sids);
    expect(handled).toHaveLength(before.turns + MESSAGES);
    const runOrder = handled.slice(before.turns);
    expect(new Set(runOrder)).toEqual(new Set(sids));
    expect(after.seen).toEqual(runOrder.slice(-REMEMBERED_MESSAGE_IDS));

    // The same twenty messages one after another, from another number, as the reference.
    const reference = new Learner(bolivianNumber(), balanced());
    await intoLessonOne(reference);
    const inOrder = await reference.sendAll(...Array.from({ length: MESSAGES }, () => BODY));
    const expected = await readSession(redis, prefix, reference.phone);
    expect(after.snapshot).toEqual(expected.snapshot);
    expect(after.turns).toBe(expected.turns);
    // Each position's reply was sent exactly once, whichever message got it.
    const sorted = (bodies: string[]) => [...bodies].sort();
    expect(sorted(replies.map((r) => r.body))).toEqual(sorted(inOrder.map((r) => r.body)));
    expect(after.lastReplies).toEqual(parseTwiml(inOrder.at(-1)?.body ?? ''));

    // Which message ran at which position, where its reply says so (a reply no other position
    // got): the replay log has them in the order they ran.
    const positionOf = new Map<string, number>();
    inOrder.forEach((turn, position) => {
      const here = replies.filter((r) => r.body === turn.body);
      const unique = inOrder.filter((t) => t.body === turn.body).length === 1;
      if (unique && here.length === 1 && here[0]) positionOf.set(here[0].sid, position);
    });
    // (With the current course all twenty replies differ; allow content where a few repeat.)
    expect(positionOf.size).toBeGreaterThanOrEqual(4);
    for (const [sid, position] of positionOf) expect(runOrder[position]).toBe(sid);
  });

  it('leaves the per-learner lock released', async () => {
    const keys = await redis.keys(`${prefix}*:lock`);
    expect(keys).toEqual([]);
  });

  it('the processes shut down gracefully on SIGTERM (exit code 0)', async () => {
    const exits = await Promise.all(servers.map((server) => server.stop()));
    for (const [i, exit] of exits.entries()) {
      expect(exit, servers[i]?.output()).toEqual({ code: 0, signal: null });
    }
  });
});
