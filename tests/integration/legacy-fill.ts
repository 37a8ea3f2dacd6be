// A Redis filled the way Ayni left it before ID_SECRET: the real app, built with the old unkeyed
// ids (legacyPersonIds), runs learners through lessons, a coordinator's group through a quiz, a
// broadcast, an opt-out, an erasure and the console's keys. Then the replay logs that version
// never wrote are deleted. What each person looked like is returned, to compare after.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { realContent } from '../support/content.js';
import type { FakeTwilio } from '../support/fake-twilio.js';
import { legacyPersonIds } from '../support/legacy-person-ids.js';
import { waitFor } from '../support/wait-for.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';
import { injectTransport, Learner, testApp } from '../http/helpers.js';
import { recipientKey } from '../../src/messaging/recipient-key.js';
import { ConsoleAuth } from '../../src/routes/console/auth.js';
import { BroadcastOwners } from '../../src/routes/console/broadcast-owners.js';
import { Keyspace } from '../../src/store/keyspace.js';

export const ADMIN_TOKEN = 'admin-token-of-the-migration-test';
export const PEOPLE = {
  coordinator: '+59178000000',
  /** in the middle of lesson 1, in the group */
  ana: '+59178000001',
  /** finished Think.COOP (a completion code), in the group */
  beto: '+59178000002',
  /** sent STOP */
  carla: '+59178000003',
  /** in the group, answered the quiz, then BORRAR */
  dora: '+59178000004',
  /** typed at the console's login form, never a coordinator */
  stranger: '+59178000009',
} as const;

export const appEnv = (twilioUrl: string) => ({
  ADMIN_TOKEN,
  TWILIO_ACCOUNT_SID: TEST_TWILIO.accountSid,
  TWILIO_API_URL: twilioUrl,
  TWILIO_WHATSAPP_FROM: TEST_TWILIO.whatsappFrom,
  TWILIO_SMS_FROM: TEST_TWILIO.smsFrom,
  SMS_RATE_PER_SECOND: '50',
  QUIZ_TIMEOUT_SECONDS: '60',
});

export interface Filled {
  groupCode: string;
  groupId: string;
  /** the code Beto was given */
  betoCode: string;
  /** the quiz's scores, by phone */
  scores: Record<string, number>;
  broadcastId: string;
  /** Ana's last message: its MessageSid and the TwiML it got */
  anaLast: { sid: string; body: string };
}

const whatsapp = (app: FastifyInstance, phone: string) =>
  new Learner(`whatsapp:${phone}`, injectTransport(app));

export async function fillAsBefore(
  url: string,
  prefix: string,
  redis: Redis,
  fake: FakeTwilio,
): Promise<Filled> {
  const app = await testApp(url, prefix, { env: appEnv(fake.url), personIds: legacyPersonIds });
  try {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    await app.inject({
      method: 'POST',
      url: '/api/coordinators',
      headers: admin,
      payload: { phone: PEOPLE.coordinator, name: 'Rosa' },
    });
    const beto = new Learner(PEOPLE.beto, injectTransport(app));
    await finishThinkCoop(beto);
    const betoCode = /AYNI-[A-Z0-9]{4}-[A-Z0-9]{4}/.exec((await beto.send('4')).text)![0];
    await new Learner(PEOPLE.carla, injectTransport(app)).sendAll('Hola', '1', 'STOP');

    const coordinator = whatsapp(app, PEOPLE.coordinator);
    await coordinator.sendAll('hola', '1');
    const groupCode = /Código: ([A-Z0-9]{6})/.exec((await coordinator.send('GRUPO Tejedoras')).text)![1]!;
    for (const phone of [PEOPLE.ana, PEOPLE.dora])
      await whatsapp(app, phone).sendAll('hola', '1', `UNIRME ${groupCode}`);
    await beto.send(`UNIRME ${groupCode}`);
    const groupId = (await app.groups.byCode(groupCode))!.id;

    const scores = await runQuiz(app, fake, coordinator, groupCode);
    const broadcastId = await broadcastTo(app, groupId);
    // Ana goes back to lesson 1 and stops after its first two steps.
    const turns = await whatsapp(app, PEOPLE.ana).sendAll('MENU', '1', '1', '1');
    await whatsapp(app, PEOPLE.dora).send('BORRAR');
    await consoleKeys(redis, prefix);
    await deleteReplayLogs(redis, prefix);
    await deliveryLogAsBefore(redis, prefix);
    await quizResultsAsBefore(redis, prefix, groupId, scores);
    await learnerIndexAsBefore(redis, prefix);
    return {
      groupCode,
      groupId,
      betoCode,
      scores,
      broadcastId,
      anaLast: { sid: turns.at(-1)!.sid, body: turns.at(-1)!.body },
    };
  } finally {
    await app.close();
  }
}

/** That version's learner index was one set, not buckets: migrate:ids moves it into them too. */
async function learnerIndexAsBefore(redis: Redis, prefix: string): Promise<void> {
  const keys = new Keyspace(prefix);
  for (const bucket of keys.learnerIndexBuckets()) {
    const ids = await redis.smembers(bucket);
    if (ids.length) await redis.sadd(keys.legacyLearners(), ...ids);
    await redis.del(bucket);
  }
}

async function finishThinkCoop(learner: Learner): Promise<void> {
  const think = realContent().course.sections[0]!;
  await learner.sendAll('hola', '1', '1');
  for (const [i, flow] of think.flows.entries()) {
    await learner.send(String(i + 1));
    for (const step of flow.steps) await learner.send(step.type === 'question' ? String(step.answer) : '1');
  }
}

/** A quiz on lesson 1: Ana always right, Beto always wrong, Dora right then wrong. Scores by phone. */
async function runQuiz(app: FastifyInstance, fake: FakeTwilio, coordinator: Learner, code: string) {
  const lesson = realContent().course.lessons[0]!;
  const questions = lesson.steps.filter((s) => s.type === 'question');
  const t = (key: string) => realContent().translator.t('es', key);
  await coordinator.send(`QUIZ ${code} 1`);
  const scores: Record<string, number> = { [PEOPLE.ana]: 0, [PEOPLE.beto]: 0, [PEOPLE.dora]: 0 };
  for (const [i, q] of questions.entries()) {
    if (q.type !== 'question') continue;
    const text = t(`${lesson.id}:${q.text}`);
    await waitFor(
      `question ${i + 1}`,
      () => fake.messages.some((m) => m.to === `whatsapp:${PEOPLE.ana}` && m.body.includes(text)),
      15_000,
    );
    const wrong = String(q.answer === 1 ? 2 : 1);
    const answers: [string, string][] = [
      [PEOPLE.ana, String(q.answer)],
      [PEOPLE.beto, wrong],
      [PEOPLE.dora, i === 0 ? String(q.answer) : wrong],
    ];
    for (const [phone, answer] of answers) {
      const member = phone === PEOPLE.beto ? new Learner(phone, injectTransport(app)) : whatsapp(app, phone);
      await member.send(answer);
      if (answer === String(q.answer)) scores[phone] = (scores[phone] ?? 0) + 1;
    }
  }
  await waitFor(
    'the leaderboard',
    () => fake.messages.some((m) => m.to === `whatsapp:${PEOPLE.ana}` && m.body.includes('Fin del quiz')),
    15_000,
  );
  return scores;
}

async function broadcastTo(app: FastifyInstance, groupId: string): Promise<string> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  const created = await app.inject({
    method: 'POST',
    url: '/api/broadcasts',
    headers,
    payload: { target: { groups: [groupId] }, text: { es: 'Reunión el sábado' } },
  });
  const { id } = created.json<{ id: string }>();
  await waitFor(
    'the broadcast to be sent',
    async () => {
      const status = await app.inject({ method: 'GET', url: `/api/broadcasts/${id}`, headers });
      return status.json<{ state: string }>().state === 'done';
    },
    15_000,
  );
  return id;
}

/**
 * The console's keys named by a coordinator's id, as the console writes them with these ids; the
 * per-number login counters as the console of that version wrote them (its own INCR windows).
 */
async function consoleKeys(redis: Redis, prefix: string): Promise<void> {
  const keys = new Keyspace(prefix);
  const auth = new ConsoleAuth(redis, keys, 'console-secret-of-the-migration-test', legacyPersonIds);
  await auth.newCode(PEOPLE.coordinator);
  for (const phone of [PEOPLE.coordinator, PEOPLE.stranger])
    await redis.set(keys.legacyConsoleRateLimit(`code:phone:${auth.idOf(phone)}`), '1', 'PX', 60_000);
  const viewer = { role: 'coordinator' as const, phone: PEOPLE.coordinator, name: 'Rosa' };
  const owners = new BroadcastOwners(redis, keys, legacyPersonIds);
  await owners.add({
    id: 'bcconsole01',
    owner: owners.ownerOf(viewer),
    createdAt: Date.now(),
    summary: 'Reunión',
    target: 'Tejedoras',
  });
  await redis.hset(keys.consoleTry(owners.ownerOf(viewer), 'cfg'), { suffix: '12', channel: 'sms' });
}

/** That version wrote no replay log: leave none behind. */
async function deleteReplayLogs(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', new Keyspace(prefix).replayLog('*'), 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * That version's delivery log named a recipient by learner id, in the recipients hash, in the
 * claim's key and in the sid record (`l`); this one names them by recipient key: written back.
 */
async function deliveryLogAsBefore(redis: Redis, prefix: string): Promise<void> {
  const keys = new Keyspace(prefix);
  const ids = Object.values(PEOPLE).map((phone) => legacyPersonIds.learnerId(phone));
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.deliveryRecipients('*'), 'COUNT', 500);
    cursor = next;
    for (const rcpt of found) {
      const dedupeKey = rcpt.slice(rcpt.indexOf('{') + 1, rcpt.lastIndexOf('}'));
      for (const id of ids) {
        const recipient = recipientKey(dedupeKey, id);
        const outcome = await redis.hget(rcpt, recipient);
        if (outcome === null) continue;
        await redis.multi().hset(rcpt, id, outcome).hdel(rcpt, recipient).exec();
        const claim = await redis.get(keys.deliveryClaim(dedupeKey, recipient));
        if (!claim) continue;
        await redis.rename(keys.deliveryClaim(dedupeKey, recipient), keys.deliveryClaim(dedupeKey, id));
        const { sid } = JSON.parse(claim) as { sid?: string };
        if (sid) await redis.hset(keys.deliverySid(sid), 'l', id);
      }
    }
  } while (cursor !== '0');
}

/** That version kept each member's points in the group's quiz result, none with the member. */
async function quizResultsAsBefore(
  redis: Redis,
  prefix: string,
  groupId: string,
  byPhone: Record<string, number>,
): Promise<void> {
  const keys = new Keyspace(prefix);
  const scores = Object.fromEntries(
    Object.entries(byPhone).map(([phone, points]) => [legacyPersonIds.learnerId(phone), points]),
  );
  const [raw] = await redis.lrange(keys.quizResults(groupId), 0, 0);
  await redis.lset(keys.quizResults(groupId), 0, JSON.stringify({ ...JSON.parse(raw!), scores }));
  for (const id of Object.keys(scores)) await redis.del(keys.learnerQuizPoints(id));
}
