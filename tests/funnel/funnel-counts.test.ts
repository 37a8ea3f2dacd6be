// The funnel's counters after scripted journeys through the first lesson equal what the journeys
// did: started, reached each step, finished, right at the first try and the wrong option chosen,
// per language, channel and group, and no list of who.
import { describe, expect, it } from 'vitest';
import { funnelReport } from '../../src/groups/funnel-report.js';
import { adminApi } from '../broadcasts/helpers.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { useTestRedis } from '../support/test-redis.js';
import { nudgeNumber, useNudgeApp } from '../nudges/helpers.js';
import { dumpPrefix } from '../erasure/redis-dump.js';
import { learnerId } from '../support/person-ids.js';
import { walkLesson, wrongOption } from './helpers.js';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startChild } from '../support/children.js';
import { qualifyKey } from '../../src/flows/course.js';

const { url, prefix, redis } = useTestRedis();
const { app } = await useNudgeApp(url, prefix, { NUDGE_AFTER: '' });
const learner = (from: string) => new Learner(from, injectTransport(app));
const lesson = app.content.course.lessons[0]!;
const questions = lesson.steps.filter((s) => s.type === 'question');
const [right, wrong, stopper] = [401, 402, 403].map(nudgeNumber) as [string, string, string];

describe('the funnel of a lesson', () => {
  it('counts what scripted journeys did', async () => {
    const api = adminApi(app);
    const coordinator = nudgeNumber(400);
    expect((await api.registerCoordinator(coordinator, 'Rosa')).statusCode).toBe(201);
    const group = (await api.createGroup({ name: 'Feria', locale: 'es', coordinator })).json<{
      id: string;
      code: string;
    }>();

    // Right at every first try, by SMS in Spanish.
    const ana = learner(right);
    await ana.sendAll('hola', '1', '1', '1');
    await walkLesson(ana, lesson, { redis, prefix });
    // A wrong option first at every question, on WhatsApp, in the group.
    const beto = learner(`whatsapp:${wrong}`);
    await beto.sendAll('hola', '1', `UNIRME ${group.code}`, 'MENU', '1', '1');
    await walkLesson(beto, lesson, { redis, prefix }, { wrongFirst: true });
    // Aymara, by SMS: reads the first step and stops on the second.
    const ciro = learner(stopper);
    await ciro.sendAll('hola', '2', '1', '1');
    await walkLesson(ciro, lesson, { redis, prefix }, { stopAt: 1 });

    const counts = await app.stores.funnel.read(lesson.id, app.clock(), 1);
    const overall = funnelReport(lesson, counts, { groups: null });
    expect(overall.started).toBe(3);
    expect(overall.finished).toBe(2);
    expect(overall.steps.map((s) => s.reached)).toEqual(lesson.steps.map((_, i) => (i < 2 ? 3 : 2)));
    expect(overall.steps.map((s) => s.stopped)).toEqual(lesson.steps.map((_, i) => (i === 1 ? 1 : 0)));
    expect(overall.steps.find((s) => s.mostStop)?.n).toBe(2);
    for (const q of questions) {
      const row = overall.steps.find((s) => s.id === q.id)!;
      expect(row.question).toEqual({
        answered: 2,
        rightPct: 50,
        topWrong: { option: wrongOption(q.type === 'question' ? q.answer : 0), count: 1 },
      });
    }

    // Split by language, channel and group.
    expect(funnelReport(lesson, counts, { groups: null, lang: 'ay' }).started).toBe(1);
    expect(funnelReport(lesson, counts, { groups: null, channel: 'whatsapp' }).finished).toBe(1);
    const inGroup = funnelReport(lesson, counts, { groups: [group.id] });
    expect([inGroup.started, inGroup.finished]).toEqual([1, 1]);
    expect(inGroup.steps.find((s) => s.question)?.question?.rightPct).toBe(0);
    expect(funnelReport(lesson, counts, { groups: ['othergroup'] }).started).toBe(0);

    // Counts only: no funnel key or value names a learner.
    const funnelKeys = (await dumpPrefix(redis, prefix)).filter((k) => k.key.includes(':funnel:'));
    expect(funnelKeys.length).toBeGreaterThan(0);
    const ids = [right, wrong, stopper].map(learnerId);
    expect(funnelKeys.filter((k) => ids.some((id) => JSON.stringify(k).includes(id)))).toEqual([]);
    const ttl = await redis.pttl(funnelKeys[0]!.key);
    expect(ttl).toBeGreaterThan(89 * 24 * 3600_000);
  });

  it('gives the content report the same figures, beside each question’s text (--stats)', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'ayni-report-'));
    const report = startChild(
      process.execPath,
      ['--import', 'tsx', 'src/cli/content-report.ts', '--stats', '--days', '1', '--out', out],
      {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { PATH: process.env.PATH ?? '', REDIS_URL: url, REDIS_PREFIX: prefix },
      },
    );
    expect(await report.exited, report.output()).toEqual({ code: 0, signal: null });
    const markdown = readFileSync(path.join(out, 'content-report.md'), 'utf8');
    const t = (key: string) => app.content.translator.t('es', qualifyKey(lesson.id, key));
    expect(markdown).toContain(
      `| ${t(lesson.title)} (${lesson.id}) | 3 | 2 | 2: ${t(lesson.steps[1]!.text)} (1) |`,
    );
    for (const q of questions) {
      if (q.type !== 'question') continue;
      const n = lesson.steps.indexOf(q) + 1;
      const wrong = wrongOption(q.answer);
      expect(markdown).toContain(
        `| ${lesson.id} | ${n} | ${t(q.text)} | 2 | 50 % | ${wrong}: ${t(q.options[wrong - 1]!)} (1) |`,
      );
    }
    expect(readFileSync(path.join(out, 'content-report.html'), 'utf8')).toContain(
      '<h2>Learners (last 1 days)</h2>',
    );
  });
});
