// Ayni on a real Redis Cluster (three masters, three replicas) through two app processes: learner
// journeys, a group quiz, a broadcast to everyone, the console and a nudge (with the funnel's
// counters); then the master holding BullMQ's queues (and some learners) is killed with SIGKILL
// while learners keep texting. After the failover every learner is answered, none is greeted as
// new, and no broadcast is sent twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from 'ioredis';
import { funnelReport } from '../../src/groups/funnel-report.js';
import { FunnelStore } from '../../src/store/funnel-store.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { NudgeStats } from '../../src/store/nudge-stats.js';
import type { AppProcess } from '../support/app-server.js';
import { realContent } from '../support/content.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { learnerId } from '../support/person-ids.js';
import { startRedisCluster, type RedisClusterHandle } from '../support/redis-cluster.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { bolivianNumber, say, type Learner } from '../http/helpers.js';
import {
  api,
  deliveries,
  isGreeting,
  learnerVia,
  reachedEveryone,
  repeatedBodies,
  sendUntilAnswered,
  startTwoApps,
  textThrough,
} from './helpers.js';

const keys = new Keyspace('ayni:', { cluster: true });
let cluster: RedisClusterHandle;
let fake: FakeTwilio;
let apps: AppProcess[] = [];
/** the master serving BullMQ's slot: the one the failover test kills */
let doomed = 0;
/** learners on the doomed master and on the others, all on the menu after their journey */
const learners: Learner[] = [];
const menu = say('es', 'whatsapp', 'common:menu');

beforeAll(async () => {
  cluster = await startRedisCluster();
  fake = await startFakeTwilio();
  apps = await startTwoApps(fake, {
    REDIS_CLUSTER_NODES: cluster.seeds,
    // A nudge 4 s after a learner goes quiet mid-lesson (the other journeys leave lessons sooner).
    NUDGE_AFTER: '4s,1d',
    NUDGE_QUIET_HOURS: '',
    NUDGE_POLL_MS: '200',
  });
  doomed = await cluster.masterOf(`${keys.bullPrefix()}:x`);
  // Four learners whose session lives on the doomed master, eight elsewhere.
  const on: string[] = [];
  const off: string[] = [];
  while (on.length < 4 || off.length < 8) {
    const phone = bolivianNumber();
    const there = (await cluster.masterOf(keys.session(learnerId(phone)))) === doomed;
    if (there && on.length < 4) on.push(phone);
    if (!there && off.length < 8) off.push(phone);
  }
  learners.push(...[...on, ...off].map((phone) => learnerVia(apps, phone)));
}, 120_000);

afterAll(async () => {
  await Promise.all(apps.map((app) => app.stop()));
  await fake?.close();
  await cluster?.stop();
});

describe('on a Redis Cluster, through two app processes', () => {
  it('learners are greeted once, learn, and keep their place', async () => {
    await Promise.all(
      learners.map(async (learner) => {
        const [welcome] = await learner.sendAll('hola');
        expect(welcome!.text).toContain('Soy Ayni');
        const [chosen, list, step] = await learner.sendAll('1', '1', '1');
        expect(chosen!.messages).toEqual([menu]);
        expect(list!.text).not.toEqual('');
        expect(step!.text).not.toEqual('');
        const [back] = await learner.sendAll('MENU');
        expect(back!.messages).toEqual([menu]);
      }),
    );
  });

  it('a group quiz runs to its end, each message once', async () => {
    const coordinator = bolivianNumber();
    expect((await api(apps[0]!, '/api/coordinators', { phone: coordinator, name: 'Rosa' })).status).toBe(201);
    const group = { name: 'Tejedoras', locale: 'es', coordinator };
    const created = await api<{ id: string; code: string }>(apps[1]!, '/api/groups', group);
    expect(created.status).toBe(201);
    const members = [0, 1, 2].map(() => learnerVia(apps));
    for (const member of members) await member.sendAll(`UNIRME ${created.json.code}`);
    const lesson = realContent().course.lessons[0]!;
    const started = await api(apps[1]!, `/api/groups/${created.json.id}/quizzes`, { lesson: lesson.id });
    expect(started.status).toBe(201);
    const questions = lesson.steps.filter((s) => s.type === 'question');
    const t = realContent().translator;
    const got = (m: Learner) => fake.messages.filter((x) => x.to === m.from).map((x) => x.body);
    for (const question of questions) {
      if (question.type !== 'question') throw new Error('unreachable');
      const text = t.t('es', `${lesson.id}:${question.text}`);
      await waitFor(
        'the question at every member',
        () => members.every((m) => got(m).some((b) => b.includes(text))),
        20_000,
      );
      await Promise.all(members.map((m) => m.sendAll(String(question.answer))));
    }
    await waitFor(
      'the leaderboard',
      () => members.every((m) => got(m).some((b) => b.includes('Fin del quiz'))),
      20_000,
    );
    for (const member of members) expect(repeatedBodies(fake, member.from)).toEqual([]);
  });

  it('a broadcast to everyone reaches each learner once', async () => {
    const text = 'Aviso del clúster: reunión el sábado';
    const created = await api<{ id: string }>(apps[0]!, '/api/broadcasts', {
      target: { all: true },
      text: { es: text },
    });
    expect(created.status).toBe(201);
    await waitFor('the broadcast at every learner', reachedEveryone(fake, learners, text), 20_000);
    for (const learner of learners) expect(repeatedBodies(fake, learner.from)).toEqual([]);
  });

  it('the console: an administrator signed in on one process is signed in on the other', async () => {
    const login = await fetch(`${apps[0]!.url}/console/login`, { redirect: 'manual' });
    const pre = /name="_pre" value="([^"]+)"/.exec(await login.text())?.[1];
    const preCookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    expect(pre).toBeTruthy();
    const signedIn = await fetch(`${apps[0]!.url}/console/login/admin`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: preCookie },
      body: new URLSearchParams({
        _pre: pre!,
        next: '',
        token: 'cluster-admin-token-of-32-characters',
      }).toString(),
    });
    expect(signedIn.status).toBe(303);
    const session = signedIn.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const groups = await fetch(`${apps[1]!.url}/console/groups`, {
      headers: { cookie: session },
      redirect: 'manual',
    });
    expect(groups.status).toBe(200);
    expect(await groups.text()).toContain('Tejedoras');
    // A reminder to everyone from the console of the other process (its record and the owners'
    // lists are in different slots), listed on the first, and sent to each learner once.
    const compose = await fetch(`${apps[1]!.url}/console/reminders`, { headers: { cookie: session } });
    const csrf = /name="_csrf"\s+value="([^"]+)"/.exec(await compose.text())?.[1];
    expect(csrf).toBeTruthy();
    const text = 'Aviso desde la consola';
    const sent = await fetch(`${apps[1]!.url}/console/reminders`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: session },
      body: new URLSearchParams({
        _csrf: csrf!,
        text_es: text,
        target: 'all',
        when: 'now',
        action: 'send',
      }).toString(),
    });
    expect(sent.status).toBe(303);
    const list = await fetch(`${apps[0]!.url}/console/reminders`, { headers: { cookie: session } });
    expect(await list.text()).toContain(text);
    await waitFor('the console reminder at every learner', reachedEveryone(fake, learners, text), 20_000);
    for (const learner of learners) expect(repeatedBodies(fake, learner.from)).toEqual([]);
  });

  it('a learner who goes quiet mid-lesson is nudged once, and the funnel counted them', async () => {
    // The due-nudge sets, the nudged mark and the funnel counters are each in their own slot.
    const learner = learnerVia(apps);
    const id = learnerId(learner.from.replace(/^whatsapp:/, ''));
    const lesson = realContent().course.lessons[0]!;
    await learner.sendAll('hola', '1', '1', '1'); // Spanish, Think.COOP, the first lesson
    await waitFor(
      'the nudge',
      () => fake.messages.some((m) => m.to === learner.from && m.body.startsWith('Te quedaste')),
      20_000,
    );
    const redis = new Cluster(
      cluster.seeds.split(',').map((seed) => ({
        host: seed.split(':')[0]!,
        port: Number(seed.split(':')[1]),
      })),
    );
    try {
      // The next nudge (a day later) waits in the learner's due set; the mark says they were nudged.
      await waitFor('the next nudge scheduled', async () => {
        const due = await redis.zscore(keys.nudgesDueOf(id), id);
        return due !== null && Number(due) > Date.now() + 3_600_000;
      });
      expect(await redis.exists(keys.learnerNudged(id))).toBe(1);
      const counts = await new FunnelStore(redis, keys).read(lesson.id, Date.now(), 1);
      expect(funnelReport(lesson, counts, { groups: null }).started).toBeGreaterThanOrEqual(1);
      // Writing again is a comeback: the turn's lock-and-load script takes the mark (the
      // learner's slot) and the nudge counters count it (their own slot).
      await learner.sendAll('1');
      expect(await redis.exists(keys.learnerNudged(id))).toBe(0);
      const stats = new NudgeStats(redis, keys);
      await waitFor('the comeback counted', async () => (await stats.figures(Date.now(), 1, null)).back >= 1);
    } finally {
      redis.disconnect();
    }
    expect(repeatedBodies(fake, learner.from)).toEqual([]);
  });

  it('after a master is killed, every learner is answered, none greeted as new, no broadcast sent twice', async () => {
    const text = 'Aviso durante la conmutación';
    const created = await api<{ id: string }>(apps[1]!, '/api/broadcasts', {
      target: { all: true },
      text: { es: text },
    });
    expect(created.status).toBe(201);
    // Learners keep texting while the master dies; each message is retried the way Twilio does.
    let killed = false;
    const texting = textThrough(learners, () => killed, 42);
    await sleep(300); // let the first messages and the fan-out start before the kill
    const killedAt = Date.now();
    await cluster.killMaster(doomed);
    const failoverMs = Date.now() - killedAt;
    killed = true;
    const replies = await texting;
    // The figures the README's "Deploying" quotes.
    console.log(
      `cluster failover: ${failoverMs} ms until the replica served; ${deliveries.retried} deliveries ` +
        `refused and retried; the slowest message was answered after ${deliveries.slowestMs} ms`,
    );
    for (const [i, learner] of learners.entries()) {
      expect(replies[i]!.some(isGreeting), learner.phone).toBe(false);
      // A learner whose session moved to the promoted replica still has it: MENU gives the menu.
      const after = await sendUntilAnswered(learner, 'MENU');
      expect(after.messages, learner.phone).toEqual([menu]);
    }
    await waitFor('the failover broadcast at every learner', reachedEveryone(fake, learners, text), 60_000);
    // A broadcast after the failover also goes out once each.
    const after = 'Aviso después de la conmutación';
    const again = await api<{ id: string }>(apps[0]!, '/api/broadcasts', {
      target: { all: true },
      text: { es: after },
    });
    expect(again.status).toBe(201);
    await waitFor('the later broadcast at every learner', reachedEveryone(fake, learners, after), 30_000);
    // A duplicate, if one were coming, comes within moments of the first.
    await sleep(1_000);
    for (const learner of learners) expect(repeatedBodies(fake, learner.from), learner.phone).toEqual([]);
  }, 180_000);
});
