// BORRAR leaves nothing in Redis that leads back to the number. A learner goes through every
// part of Ayni that stores something about them (lessons and a completion code, a group, a group
// quiz, a broadcast, a coordinator's notice, a CORREGIR suggestion, a nudge, a console rate limit,
// a name for the certificate), then sends BORRAR; then every key under the test's prefix and every
// value, BullMQ's job hashes and event streams included, is read and searched for the number in any
// form, for the learner's ids and for the name. Only the keys
// Keyspace.keptAfterErasure names (and the README lists) may still name the learner.
import { describe, expect, it } from 'vitest';
import { sendsThrough, walkCourse } from '../../src/content-tools/course-walk.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { adminApi, broadcastApp, useBroadcastApp } from '../broadcasts/helpers.js';
import { ConsoleClient, hiddenValue } from '../console/helpers.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { dumpPrefix, findTraces, tracesOf } from './redis-dump.js';
import { outboundIdle } from './helpers.js';

const { url, prefix, redis } = useTestRedis();
const { app, fake, api } = await useBroadcastApp(url, prefix, {
  QUIZ_TIMEOUT_SECONDS: '30',
  NUDGE_AFTER: '3s,1d',
  NUDGE_QUIET_HOURS: '',
  NUDGE_POLL_MS: '200',
});

const COORDINATOR = '+59161230077';
const PHONE = '+59172841936';
const NAME = 'Ana Quispe Mamani';
const t = (key: string, vars?: Record<string, string | number>) =>
  realContent().translator.t('es', key, vars);
const sentTo = (phone: string) =>
  fake.messages.filter((m) => m.to === `whatsapp:${phone}`).map((m) => m.body);
const received = (phone: string, text: string) => sentTo(phone).some((body) => body.includes(text));

describe('BORRAR', () => {
  const coordinator = () => new Learner(`whatsapp:${COORDINATOR}`, injectTransport(app));
  const learner = () => new Learner(`whatsapp:${PHONE}`, injectTransport(app));

  it('leaves no trace of the number after lessons, a group, a quiz, a broadcast, a notice, a nudge and a rate limit', async () => {
    // A coordinator and their group.
    expect((await api.registerCoordinator(COORDINATOR, 'Rosa')).statusCode).toBe(201);
    await coordinator().sendAll('hola', '1');
    const created = await coordinator().send('GRUPO Feria');
    const code = /Código: ([A-Z0-9]{6})/.exec(created.text)?.[1] ?? '';
    expect(code).not.toBe('');

    // Every Think.COOP lesson: a completion code.
    // (what a learner on WhatsApp sends, reading ahead included: the course walk)
    const think = realContent().course.sections[0]!;
    const walk = walkCourse(realContent(), 'es', 'whatsapp');
    await learner().sendAll(...sendsThrough(walk, think.flows.at(-1)!.id));
    expect((await learner().send('4')).text).toMatch(/AYNI-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    // A name for the certificate (NOMBRE), kept for it alone.
    expect((await learner().send(`NOMBRE ${NAME}`)).text).toContain(
      t('common:certificate.name_saved', { name: NAME }),
    );

    // The group, and the coordinator hears of the join.
    await learner().sendAll(`UNIRME ${code}`);
    await waitFor('the join notice', () => sentTo(COORDINATOR).length === 1);

    // A group quiz, answered to the end.
    const lesson = realContent().course.lessons[0]!;
    await coordinator().sendAll(`QUIZ ${code} 1`);
    for (const step of lesson.steps) {
      if (step.type !== 'question') continue;
      await waitFor(`question ${step.id}`, () => received(PHONE, t(`${lesson.id}:${step.text}`)));
      expect((await learner().send(String(step.answer))).text).toBe(t('common:quiz_received'));
    }
    await waitFor('the leaderboard', () => received(PHONE, 'Fin del quiz'), 15_000);

    // A coordinator's notice and a broadcast to everyone.
    await coordinator().sendAll(`AVISO ${code} Reunión el sábado`);
    await waitFor('the notice', () => received(PHONE, 'Reunión el sábado'));
    const broadcast = await api.create({ target: { all: true }, text: { es: 'Taller el lunes' } });
    await api.settled(broadcast.id);
    await waitFor('the broadcast', () => received(PHONE, 'Taller el lunes'));

    // A suggestion for the text last received (CORREGIR): kept for reviewers until BORRAR, which
    // takes the learner's words out too (they may hold a name).
    expect((await learner().send('CORREGIR Así lo diría yo')).text).toBe(t('common:suggest_thanks'));
    // A nudge: the learner stops in a lesson; after it, the next one waits in the due set and
    // the learner's 24-hour mark of being nudged is there.
    await learner().sendAll('MENU', '1', '1');
    await waitFor('a nudge', () => received(PHONE, 'Te quedaste'), 15_000);
    await waitFor('the next nudge scheduled', async () => (await app.stores.nudgeSchedule.waiting()) === 1);

    // Rate limited: console login codes asked for this number until the console refuses.
    const browser = new ConsoleClient(app);
    const login = await browser.get('/console/login');
    let status = 0;
    for (let i = 0; i < 5 && status !== 429; i++) {
      const asked = await browser.post('/console/login/code', {
        _pre: hiddenValue(login.body, '_pre'),
        phone: PHONE,
      });
      status = asked.statusCode;
    }
    expect(status).toBe(429);

    await waitFor('the outbound queues to be idle', () => outboundIdle(app));
    // The learner id as the app computes it (keyed, under the test's ID_SECRET).
    const learnerId = (phone: string) => app.stores.personIds.learnerId(phone);
    const traces = [
      ...tracesOf(PHONE, learnerId),
      { what: 'the name on the certificate', pattern: /Ana Quispe Mamani/ },
      { what: 'the learner’s suggestion', pattern: /Así lo diría yo/ },
    ];
    // The search finds what is there: before BORRAR the learner is all over Redis.
    expect(findTraces(await dumpPrefix(redis, prefix), traces).length).toBeGreaterThan(5);

    expect((await learner().send('BORRAR')).text).toBe(t('common:deleted'));
    await waitFor('the outbound queues to be idle', () => outboundIdle(app));

    const kept = app.keyspace.keptAfterErasure(learnerId(PHONE));
    expect(findTraces(await dumpPrefix(redis, prefix), traces, kept)).toEqual([]);
    expect(await app.stores.suggestions.forLanguage('es')).toEqual(new Map());
  });

  it('takes the learner’s messages still waiting in the queue out of it', async () => {
    // No workers: a group quiz's first messages wait in the queue.
    const at = `${prefix}waiting:`;
    const waiting = await broadcastApp(url, at, fake.url, { OUTBOUND_WORKER: 'false' });
    try {
      const other = '+59161230078';
      expect((await adminApi(waiting).registerCoordinator(other, 'Juan')).statusCode).toBe(201);
      const them = new Learner(`whatsapp:${other}`, injectTransport(waiting));
      await them.sendAll('hola', '1');
      const code = /Código: ([A-Z0-9]{6})/.exec((await them.send('GRUPO Taller')).text)?.[1] ?? '';
      const learner = new Learner(`whatsapp:${PHONE}`, injectTransport(waiting));
      await learner.sendAll(`UNIRME ${code}`);
      await them.sendAll(`QUIZ ${code} 1`);
      const learnerId = (phone: string) => waiting.stores.personIds.learnerId(phone);
      const traces = [
        ...tracesOf(PHONE, learnerId),
        { what: 'the name on the certificate', pattern: /Ana Quispe Mamani/ },
      ];
      const queued = async () => (await dumpPrefix(redis, `${at}bull:`)).filter((k) => k.type === 'hash');
      expect(findTraces(await queued(), traces).length).toBeGreaterThan(0);

      expect((await learner.send('BORRAR')).text).toBe(t('common:deleted'));
      const kept = waiting.keyspace.keptAfterErasure(learnerId(PHONE));
      expect(findTraces(await dumpPrefix(redis, at), traces, kept)).toEqual([]);
    } finally {
      await waiting.close();
    }
  });
});
