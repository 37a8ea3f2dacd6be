// npm run migrate:ids on a Redis filled the way Ayni left it before ID_SECRET (legacy-fill.ts):
// a run stopped half-way, a copy left behind by a move that crashed, then a full run, then one
// more that must change nothing. After it, the same people carry on under their keyed ids and
// no unkeyed id is left anywhere: not in a key's name, not in a value.
import { spawn } from 'node:child_process';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacyLearnerId } from '../../src/cli/migrate-ids/id-map.js';
import { migrateIds } from '../../src/cli/migrate-ids/run.js';
import { DEVELOPMENT_ID_SECRET } from '../../src/config.js';
import { dedupeKeyOf } from '../../src/broadcasts/broadcast.js';
import { QuizStore } from '../../src/groups/quiz/quiz-store.js';
import { findStep } from '../../src/flows/course.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { realContent } from '../support/content.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { learnerId, testPersonIds } from '../support/person-ids.js';
import { useTestRedis } from '../support/test-redis.js';
import { injectTransport, Learner, readSession, testApp, testEnv } from '../http/helpers.js';
import { ADMIN_TOKEN, appEnv, fillAsBefore, PEOPLE, type Filled } from './legacy-fill.js';

const { redis, url, prefix } = useTestRedis();
const keys = new Keyspace(prefix);
const migrate = (onChange?: (what: string) => void) =>
  migrateIds({ redis, keys, ids: testPersonIds, secret: DEVELOPMENT_ID_SECRET, onChange });
const OLD_IDS = Object.values(PEOPLE).map(legacyLearnerId);

let fake: FakeTwilio;
let filled: Filled;
const before: Record<string, string> = {};
let everythingAfter: Map<string, string>;
let secondRun: Awaited<ReturnType<typeof migrate>>;
/** the learner whose keys a crashed move left under both ids */
let halfMoved = '';

beforeAll(async () => {
  fake = await startFakeTwilio();
  filled = await fillAsBefore(url, prefix, redis, fake);
  for (const phone of [PEOPLE.coordinator, PEOPLE.ana, PEOPLE.beto, PEOPLE.carla]) {
    before[phone] = (await redis.get(keys.session(legacyLearnerId(phone))))!;
  }

  // A run that stops after its second change, as if the process died there.
  let changes = 0;
  await expect(
    migrate(() => {
      if (++changes === 2) throw new Error('stopped half-way');
    }),
  ).rejects.toThrow('stopped half-way');
  await leaveHalfMovedKeys();

  await migrate();
  everythingAfter = await everything(redis, prefix);
  secondRun = await migrate();
}, 120_000);
afterAll(async () => {
  await fake?.close();
});

/**
 * A move that crashed between writing the new key and deleting the old one leaves both; and a
 * replay log may exist under both ids. The next run must end as if nothing had happened.
 */
async function leaveHalfMovedKeys(): Promise<void> {
  const learners = [PEOPLE.coordinator, PEOPLE.ana, PEOPLE.beto, PEOPLE.carla];
  const notYet = [];
  for (const phone of learners) {
    if (await redis.exists(keys.session(legacyLearnerId(phone)))) notYet.push(phone);
  }
  expect(notYet.length).toBeGreaterThan(0); // the run did stop half-way
  const waiting = (halfMoved = notYet[0]!);
  const old = legacyLearnerId(waiting);
  await redis.restore(keys.session(learnerId(waiting)), 0, (await redis.dumpBuffer(keys.session(old)))!);
  await redis.set(keys.replayLog(old), testPersonIds.messageFingerprint('SMfromtheoldlog'));
  await redis.set(keys.replayLog(learnerId(waiting)), testPersonIds.messageFingerprint('SMfromthenewlog'));
}

describe('npm run migrate:ids', () => {
  it('leaves no unkeyed id anywhere: key names, strings, hashes, sets, lists', () => {
    const found = [...everythingAfter].filter(([key, value]) =>
      OLD_IDS.some((id) => key.includes(id) || value.includes(id)),
    );
    expect(found.map(([key]) => key)).toEqual([]);
  });

  it('joins what a crashed move left under both ids', async () => {
    const log = (await redis.getBuffer(keys.replayLog(learnerId(halfMoved))))!;
    const has = (sid: string) => {
      const fingerprint = testPersonIds.messageFingerprint(sid);
      for (let at = 0; at < log.length; at += fingerprint.length) {
        if (log.subarray(at, at + fingerprint.length).equals(fingerprint)) return true;
      }
      return false;
    };
    expect(has('SMfromtheoldlog')).toBe(true);
    expect(has('SMfromthenewlog')).toBe(true);
    expect(await redis.get(keys.session(learnerId(halfMoved)))).toBe(before[halfMoved]);
  });

  it('changes nothing when run again', async () => {
    expect(secondRun.changes).toEqual({});
    // Keys about to expire by themselves (a sender's pacing slot, BullMQ's checks) may go meanwhile.
    const lasting = async (all: Map<string, string>) => {
      const kept = new Map<string, string>();
      for (const [key, value] of all) if (!(await expiresSoon(key))) kept.set(key, value);
      return kept;
    };
    const now = await everything(redis, prefix);
    expect(await lasting(now)).toEqual(await lasting(everythingAfter));
  });

  it('says so from the command line, and the run exits 0', async () => {
    const env = { ...testEnv(url, prefix), PATH: process.env.PATH ?? '' };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/migrate-ids.ts'], { env });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(out).toContain('Nothing to change: already migrated.');
    expect(code).toBe(0);
  });
});

describe('after the migration, with keyed ids', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(url, prefix, { env: appEnv(fake.url) });
  });
  afterAll(async () => {
    await app?.close();
  });

  it('keeps every session as it was, under the new id', async () => {
    for (const [phone, raw] of Object.entries(before)) {
      expect(await redis.get(keys.session(learnerId(phone))), phone).toBe(raw);
      expect(await redis.sismember(keys.learnerIndex(learnerId(phone)), learnerId(phone)), phone).toBe(1);
    }
    // The learner index of that version, one set, was moved into the buckets (and rekeyed there).
    expect(everythingAfter.has(keys.legacyLearners())).toBe(false);
  });

  it('lets Ana go on with her lesson where she was; her last message, replayed, changes nothing', async () => {
    const ana = new Learner(`whatsapp:${PEOPLE.ana}`, injectTransport(app));
    const session = await readSession(redis, prefix, PEOPLE.ana);
    const replay = await ana.send('1', filled.anaLast.sid);
    expect(replay.body).toBe(filled.anaLast.body);
    expect(await readSession(redis, prefix, PEOPLE.ana)).toEqual(session);
    // She answers the step she is on (a reading step, or the question reading ahead led to).
    const [flowId, stepId] = Object.entries((session.snapshot.value as { flow: object }).flow)[0] as [
      string,
      string,
    ];
    const step = findStep(realContent().course.flow(flowId)!, stepId)!.step;
    const next = await ana.send(step.type === 'question' ? String(step.answer) : '1');
    expect(next.text).not.toContain('Elige tu idioma');
    const after = await readSession(redis, prefix, PEOPLE.ana);
    expect(after.turns).toBe(session.turns + 1);
    expect(after.snapshot.value).not.toEqual(session.snapshot.value);
  });

  it('keeps the completion code Beto was given: he sees it, and it verifies', async () => {
    const progress = await new Learner(PEOPLE.beto, injectTransport(app)).send('4');
    expect(progress.text).toContain(filled.betoCode);
    const checked = await app.inject({
      method: 'GET',
      url: `/api/completions/${filled.betoCode}`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(checked.statusCode).toBe(200);
    expect((await app.completions.find(filled.betoCode))?.learner).toBe(learnerId(PEOPLE.beto));
  });

  it('keeps Carla opted out', async () => {
    expect((await new Learner(PEOPLE.carla, injectTransport(app)).send('hola')).messages).toEqual([]);
    expect((await readSession(redis, prefix, PEOPLE.carla)).optedOut).toBe(true);
  });

  it("keeps the group, its members and the coordinator's list of groups", async () => {
    const groups = await app.groups.listByCoordinator(PEOPLE.coordinator);
    expect(groups.map((g) => g.id)).toEqual([filled.groupId]);
    const members = (await redis.smembers(keys.members(filled.groupId))).sort();
    expect(members).toEqual([learnerId(PEOPLE.ana), learnerId(PEOPLE.beto)].sort());
    expect(await redis.get(keys.learnerGroup(learnerId(PEOPLE.ana)))).toBe(filled.groupId);
  });

  it("keeps the quiz's totals, and each member's points with the member; Dora erased hers", async () => {
    const quizzes = new QuizStore(redis, keys);
    const [result] = await quizzes.results(filled.groupId);
    expect(result).not.toHaveProperty('scores');
    expect(result!.participants).toBe(3);
    for (const phone of [PEOPLE.ana, PEOPLE.beto]) {
      expect((await quizzes.points(learnerId(phone)))[result!.id]).toBe(filled.scores[phone]);
    }
    expect(await quizzes.points(learnerId(PEOPLE.dora))).toEqual({});
  });

  it("keeps the broadcast's delivery log: each member's outcome under the new id", async () => {
    const dedupeKey = dedupeKeyOf(filled.broadcastId, 'once');
    expect(await app.outbound.deliveries.outcome(dedupeKey, learnerId(PEOPLE.ana))).toBe('sent');
    expect(await app.outbound.deliveries.getClaim(dedupeKey, learnerId(PEOPLE.beto))).not.toBeNull();
  });

  it("keeps the console's keys of the coordinator, and drops the stranger's", async () => {
    const coordinator = learnerId(PEOPLE.coordinator);
    expect(await redis.exists(keys.consoleCode(coordinator))).toBe(1);
    expect(await redis.exists(keys.legacyConsoleRateLimit(`code:phone:${coordinator}`))).toBe(1);
    expect(await redis.exists(keys.legacyConsoleRateLimit(`code:phone:${learnerId(PEOPLE.stranger)}`))).toBe(
      0,
    );
    expect(await redis.zcard(keys.consoleBroadcasts(coordinator))).toBe(1);
    expect(await redis.hget(keys.consoleBroadcast('bcconsole01'), 'owner')).toBe(coordinator);
    expect(await redis.hget(keys.consoleTry(coordinator, 'cfg'), 'suffix')).toBe('12');
  });
});

/** Whether `key` is gone or has less than a minute to live. */
async function expiresSoon(key: string): Promise<boolean> {
  const ttl = await redis.pttl(key);
  return ttl === -2 || (ttl >= 0 && ttl < 60_000);
}

/** Every key under `prefix` with its type and content, as text (binary strings in base64). */
async function everything(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const all = new Map<string, string>();
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    for (const key of found) all.set(key, await contentOf(redis, key));
  } while (cursor !== '0');
  return new Map([...all].sort(([a], [b]) => a.localeCompare(b)));
}

async function contentOf(redis: Redis, key: string): Promise<string> {
  const type = await redis.type(key);
  switch (type) {
    case 'string': {
      const value = (await redis.getBuffer(key))!;
      const text = value.toString('utf8');
      return Buffer.from(text, 'utf8').equals(value) ? text : `base64:${value.toString('base64')}`;
    }
    case 'hash':
      return JSON.stringify(Object.entries(await redis.hgetall(key)).sort());
    case 'set':
      return JSON.stringify((await redis.smembers(key)).sort());
    case 'zset':
      return JSON.stringify(await redis.zrange(key, 0, -1, 'WITHSCORES'));
    case 'list':
      return JSON.stringify(await redis.lrange(key, 0, -1));
    case 'stream':
      return JSON.stringify(await redis.xrange(key, '-', '+'));
    default:
      return type;
  }
}
