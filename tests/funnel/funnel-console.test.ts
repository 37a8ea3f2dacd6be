// "Where learners stop" in the console, in real headless Chromium against the real app: a
// scripted group of learners walks the first lesson (some to the end, some stopping), one more
// learner outside the group; a nudge goes out and its learner comes back. An administrator sees
// everyone, the coordinator only their group; the CSV holds the page's figures; the group's
// progress page lists who started and has not finished; the coordinator turns the group's nudges
// off and on. The lesson's page is kept as reports/funnel-lesson.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { fetchTransport, Learner } from '../http/helpers.js';
import { codeSentTo, consoleApp, ADMIN_TOKEN, launchChromium } from '../console/helpers.js';
import { nudgeNumber } from '../nudges/helpers.js';
import { standingIndex, walkLesson } from './helpers.js';

const SCREENSHOT = path.resolve(import.meta.dirname, '../../reports/funnel-lesson.png');
const ROSA = nudgeNumber(500);

const { url, prefix, redis } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;
let browser: Browser;
let base = '';
const learner = (from: string) => new Learner(from, fetchTransport(base));

beforeAll(async () => {
  fake = await startFakeTwilio();
  app = await consoleApp(url, prefix, fake, {
    SMS_RATE_PER_SECOND: '50',
    NUDGE_AFTER: '1s,1d',
    NUDGE_QUIET_HOURS: '',
    NUDGE_POLL_MS: '200',
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fake?.close();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1024, height: 900 },
    locale: 'es-BO',
    acceptDownloads: true,
  });
  return context.newPage();
}

describe('where learners stop, in the console', () => {
  const lesson = () => app.content.course.lessons[0]!;
  let groupId = '';
  const members: { learner: Learner; whatsapp: boolean }[] = [];
  /**
   * The steps (from 1) these learners stand on, those still in the lesson: where they stopped.
   * Read from their sessions, because WhatsApp reads ahead over message steps: a WhatsApp
   * learner cannot stop on a step that is read ahead over.
   */
  const stops = async (learners: Learner[]) =>
    (await Promise.all(learners.map((l) => standingIndex(redis, prefix, l, lesson()))))
      .filter((index) => index >= 0)
      .map((index) => index + 1);
  /** "paso N (count)": the step most stop on, the first of ties, as the page shows it. */
  const mostStop = (steps: number[]) => {
    const counts = new Map<number, number>();
    for (const step of [...steps].sort((a, b) => a - b)) counts.set(step, (counts.get(step) ?? 0) + 1);
    const [step, count] = [...counts].reduce((best, next) => (next[1] > best[1] ? next : best));
    return `paso ${step} (${count})`;
  };

  it('counts a scripted group of learners', async () => {
    await app.coordinators.register(ROSA, 'Rosa Quispe');
    const group = await app.groups.create({ name: 'Feria 16 de Julio', locale: 'es', coordinator: ROSA });
    groupId = group.id;
    // Eight members: three finish (one with wrong first answers), three stop on step 3, two on
    // step 5 (or where reading ahead took them past it, on WhatsApp).
    const plans: { stopAt?: number; wrongFirst?: boolean }[] = [
      {},
      {},
      { wrongFirst: true },
      { stopAt: 2 },
      { stopAt: 2 },
      { stopAt: 2 },
      { stopAt: 4 },
      { stopAt: 4 },
    ];
    for (const [i, plan] of plans.entries()) {
      const member = learner(i % 2 ? `whatsapp:${nudgeNumber(501 + i)}` : nudgeNumber(501 + i));
      members.push({ learner: member, whatsapp: i % 2 === 1 });
      await member.sendAll('hola', '1', `UNIRME ${group.code}`, 'MENU', '1', '1');
      await walkLesson(member, lesson(), { redis, prefix }, plan);
    }
    // Outside the group: finishes the lesson.
    const outsider = learner(nudgeNumber(520));
    await outsider.sendAll('hola', '1', '1', '1');
    await walkLesson(outsider, lesson(), { redis, prefix });
    // The members who stopped are nudged after a second; one comes back.
    const back = `whatsapp:${nudgeNumber(504)}`;
    await waitFor(
      'a nudge',
      () => fake.messages.some((m) => m.to === back && m.body.startsWith('Te quedaste')),
      10_000,
    );
    await learner(back).send('1');
    await waitFor(
      'the comeback counted',
      async () => (await app.stores.nudgeStats.figures(Date.now(), 1, null)).back === 1,
    );
  });

  it('shows an administrator every learner, with the step where most stop and a CSV', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login`);
    await page.getByText('Entrar como administración').click();
    await page.getByLabel('Token de administración (ADMIN_TOKEN)').fill(ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Entrar', exact: true }).click();
    await page.getByRole('link', { name: 'Dónde se detienen' }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dónde se detienen');
    expect(await page.locator('#nudges-h + p').textContent()).toMatch(
      /1<\/strong>|1 personas volvieron|\b1\b personas volvieron/,
    );

    const title = app.content.translator.t('es', `${lesson().id}:${lesson().title}`);
    const row = page.getByRole('row', { name: new RegExp(title) });
    // 9 started (8 members and the outsider), 4 finished; three stopped on step 3, one of them
    // came back after a nudge and went on.
    const everyone = await stops(members.map((m) => m.learner));
    expect(mostStop(everyone)).toMatch(/^paso 3 /);
    expect((await row.locator('td').allTextContents()).slice(1)).toEqual([
      '9',
      '4',
      '44 %',
      mostStop(everyone),
    ]);

    await page.getByRole('link', { name: title }).click();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(title);
    const marked = page.locator('tr.most-stop td');
    expect(await marked.first().textContent()).toBe('3');
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /CSV/ }).click(),
    ]);
    const csv = await (await import('node:fs/promises')).readFile((await download.path())!, 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    expect(lines[0]).toBe(
      'step,id,type,reached,stopped_here,most_stop,first_answers,right_first_try_pct,most_chosen_wrong_option,chosen',
    );
    expect(lines[1]).toMatch(/^start,,,9,/);
    expect(lines.at(-1)).toMatch(/^done,,,4,/);
    expect(lines[4]).toMatch(/^3,[^,]+,[^,]+,9,2,yes,/);
  });

  it('shows the coordinator only their group, and narrows by channel', async () => {
    const page = await newPage();
    await page.goto(`${base}/console/login`);
    const before = fake.messages.length;
    await page.getByLabel('Número de celular').fill(ROSA);
    await page.getByRole('button', { name: 'Enviarme un código' }).click();
    await page.getByLabel('Código').fill(await codeSentTo(fake, ROSA, before));
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('link', { name: 'Dónde se detienen' }).click();
    const title = app.content.translator.t('es', `${lesson().id}:${lesson().title}`);
    const cells = async () =>
      (
        await page
          .getByRole('row', { name: new RegExp(title) })
          .locator('td')
          .allTextContents()
      ).slice(1);
    expect(await cells()).toEqual(['8', '3', '38 %', mostStop(await stops(members.map((m) => m.learner)))]);
    await page.getByLabel('Canal').selectOption('whatsapp');
    await page.getByRole('button', { name: 'Ver' }).click();
    // Members 2, 4, 6, 8 are on WhatsApp: one finished, one stopped on step 3, one came back
    // after the nudge and went on, one went past step 5; the first of the ties is marked.
    const onWhatsapp = await stops(members.filter((m) => m.whatsapp).map((m) => m.learner));
    expect(onWhatsapp).toHaveLength(3);
    expect(await cells()).toEqual(['4', '1', '25 %', mostStop(onWhatsapp)]);

    // The group's progress page lists who started the lesson and has not finished it.
    await page.goto(`${base}/console/groups/${groupId}/progress`);
    const started = page
      .getByRole('region', { name: 'Empezaron y no terminaron' })
      .getByRole('row', { name: new RegExp(title) });
    const [, count, who] = await started.locator('td').allTextContents();
    const stopped = await stops(members.map((m) => m.learner));
    expect(count).toBe(String(stopped.length));
    for (const step of new Set(stopped)) {
      const here = stopped.filter((s) => s === step).length;
      expect((who!.match(new RegExp(`paso ${step} de`, 'g')) ?? []).length, `step ${step}`).toBe(here);
    }
    expect((who!.match(/paso \d+ de/g) ?? []).length).toBe(stopped.length);

    // The coordinator turns the group's nudges off on its page, and on again.
    await page.goto(`${base}/console/groups/${groupId}`);
    await page.getByRole('button', { name: 'Apagar recordatorios' }).click();
    expect(await page.locator('#nudges-state').textContent()).toContain('Apagados');
    expect((await app.groups.get(groupId))?.nudgesOff).toBe(true);
    await page.getByRole('button', { name: 'Encender recordatorios' }).click();
    expect((await app.groups.get(groupId))?.nudgesOff).toBe(false);
  });
});
