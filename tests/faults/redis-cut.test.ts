// Redis lost at each command of a turn, one at a time. A proxy in front of Redis either drops
// the command (it never runs) or loses its reply (it ran, and Ayni cannot know), cuts the
// connection there and keeps Redis away: briefly (Ayni's client reconnects and sends the command
// again) or past the client's 2 s command timeout (Ayni answers 503). Twilio retries a message
// that got no 200, with the same MessageSid, and from then on the conversation must be exactly
// that of a learner who never met a fault: the same replies, the same state, each message
// counted once, no 5xx but 503, and the learner in the index that broadcasts page through.
//
// The commands of a turn are not listed here but observed on a probe learner (every command
// naming the learner), so the test follows the store's code as it changes.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { learnerId } from '../support/person-ids.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { REMEMBERED_MESSAGE_IDS, type SessionRecord } from '../../src/store/session-store.js';
import { handledInOrder } from '../support/replay-log.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { injectTransport, Learner, readSession, testApp, type Turn } from '../http/helpers.js';
import {
  startFlakyRedisProxy,
  type Command,
  type CutMode,
  type FlakyRedisProxy,
} from './flaky-redis-proxy.js';
import { sessionProblems } from './session-validity.js';

const { redis, url, prefix } = useTestRedis();
const keys = new Keyspace(prefix);
const SCRIPT = ['Hola', '1', '1'];
/** Twilio gives up on a webhook after 15 s. */
const TWILIO_TIMEOUT_MS = 15_000;

let proxy: FlakyRedisProxy;
let app: FastifyInstance;
/** what a learner who meets no fault gets */
let control: { turns: Turn[]; session: SessionRecord };
/** per message of SCRIPT, the Redis commands its turn sends that name the learner */
let commandsOf: Command[][];

const mentions = (command: Command, id: string) => command.some((arg) => arg.includes(id));
/** A command, short: its name, a script's first words, and the keys it names (`{id}:lock`). */
const describeCommand = (command: Command, id: string) => {
  const [name = '', ...args] = command;
  const script = /^eval$/i.test(name)
    ? [`«${(args[0] ?? '').trim().replace(/\s+/g, ' ').slice(0, 32)}…»`]
    : [];
  const named = args.filter((arg) => arg.startsWith(prefix) || arg === id);
  return [name, ...script, ...named.map((arg) => arg.replaceAll(id, 'id').replace(prefix, ''))].join(' ');
};

beforeAll(async () => {
  proxy = await startFlakyRedisProxy(url);
  app = await testApp(proxy.url, prefix);
  const learner = new Learner('+59174000000', injectTransport(app));
  const id = learnerId(learner.phone);
  const turns: Turn[] = [];
  commandsOf = [];
  for (const body of SCRIPT) {
    const seen: Command[] = [];
    const stop = proxy.observe((command) => {
      if (mentions(command, id)) seen.push(command);
    });
    turns.push(...(await learner.sendAll(body)));
    stop();
    commandsOf.push(seen);
  }
  control = { turns, session: await readSession(redis, prefix, learner.phone) };
});
afterAll(async () => {
  await app?.close();
  await proxy?.close();
});

let nextPhone = 1;

/** Until Ayni's own connection is back (it reconnects with a backoff of up to a second). */
async function ready(): Promise<void> {
  await waitFor(
    'Ayni to get its Redis connection back',
    async () => (await app.inject({ method: 'GET', url: '/readyz' })).statusCode === 200,
  );
}

/**
 * A new learner sends SCRIPT; at message `message`, Redis goes away at the `k`-th command naming
 * them. Returns what went wrong (nothing, when all is well).
 */
async function run(message: number, k: number, mode: CutMode, downMs: number): Promise<string[]> {
  const learner = new Learner(`+591740${String(nextPhone++).padStart(5, '0')}`, injectTransport(app));
  const id = learnerId(learner.phone);
  const sids = SCRIPT.map(
    (_b, i) => `SM${learner.phone.slice(1).padStart(16, '0')}${String(i).padStart(16, '0')}`,
  );
  const turns: Turn[] = [];
  await ready();
  for (let i = 0; i < message; i++) turns.push(await learner.send(SCRIPT[i]!, sids[i]));

  let count = 0;
  const cut = proxy.cutAt((c) => mentions(c, id) && ++count === k, { mode, downMs });
  const started = Date.now();
  const faulted = await learner.send(SCRIPT[message]!, sids[message]);
  const took = Date.now() - started;
  const problems: string[] = [];
  if (took >= TWILIO_TIMEOUT_MS) problems.push(`answered after ${took} ms, when Twilio had given up`);
  if (faulted.status !== 503 && faulted.status !== 200)
    problems.push(`answered ${faulted.status} ${faulted.body}`);
  await cut;
  await ready();
  // A lock its owner could not release expires by itself after 10 s: as if they had passed.
  await redis.pexpire(keys.lock(id), 1);
  await waitFor('the lock to expire', async () => (await redis.exists(keys.lock(id))) === 0);

  // Twilio retries the message (unless it got its 200), then the learner goes on.
  if (faulted.status === 200) turns.push(faulted);
  for (let i = turns.length; i < SCRIPT.length; i++) turns.push(await learner.send(SCRIPT[i]!, sids[i]));
  const statuses = turns.map((t) => t.status);
  if (statuses.some((s) => s !== 200))
    problems.push(`the retry and what follows answered ${statuses.join(', ')}`);
  for (const [i, t] of turns.entries()) {
    if (t.body !== control.turns[i]?.body) problems.push(`message ${i + 1} answered differently: ${t.text}`);
  }
  const raw = await redis.get(keys.session(id));
  if (raw === null) return [...problems, 'the session is gone'];
  problems.push(...sessionProblems(keys.session(id), raw).problems);
  const stored = JSON.parse(raw) as SessionRecord;
  if (stored.turns !== SCRIPT.length) problems.push(`turns is ${stored.turns}, not ${SCRIPT.length}`);
  // Every message handled once, in order, in the replay log; the newest also in the session.
  const handled = await handledInOrder(redis, prefix, learner.phone, sids);
  if (JSON.stringify(handled) !== JSON.stringify(sids))
    problems.push(`the replay log holds ${handled.join(',')}`);
  const newest = sids.slice(-REMEMBERED_MESSAGE_IDS);
  if (JSON.stringify(stored.seen) !== JSON.stringify(newest))
    problems.push(`seen is ${stored.seen.join(',')}`);
  if (JSON.stringify(stored.snapshot) !== JSON.stringify(control.session.snapshot)) {
    problems.push(`state ${JSON.stringify(stored.snapshot.value)} is not the control's`);
  }
  // Broadcasts reach learners through this index: one missing from it never gets one.
  if ((await redis.sismember(keys.learnerIndex(id), id)) !== 1)
    problems.push('the learner is not in the learners index');
  return problems;
}

describe('Redis lost at one command of a turn, then Twilio retries the message', () => {
  it('observed the commands of each turn', () => {
    expect(commandsOf.map((c) => c.length)).toEqual(SCRIPT.map(() => expect.any(Number)));
    for (const commands of commandsOf) expect(commands.length).toBeGreaterThan(0);
  });

  // Brief: Ayni's client reconnects within its retry and sends the command again. Long: past the
  // client's 2 s command timeout, so Ayni answers 503 (and its client may still send it later).
  describe.each([
    { outage: 'brief', downMs: 500, message: 0, name: 'a first message' },
    { outage: 'brief', downMs: 500, message: 1, name: 'a later message' },
    { outage: 'long', downMs: 2_500, message: 0, name: 'a first message' },
  ])('a $outage outage ($downMs ms) in $name', ({ downMs, message }) => {
    it.each(['drop', 'lose-reply'] as CutMode[])(
      '%s at each command: no update lost, none counted twice, the learner indexed',
      async (mode) => {
        const failures: string[] = [];
        const commands = commandsOf[message] ?? [];
        for (const [i, command] of commands.entries()) {
          const problems = await run(message, i + 1, mode, downMs);
          const where = `${mode} at command ${i + 1} of ${commands.length} (${describeCommand(command, learnerId('+59174000000'))})`;
          failures.push(...problems.map((p) => `${where}: ${p}`));
        }
        expect(failures).toEqual([]);
      },
      60_000,
    );
  });
});
