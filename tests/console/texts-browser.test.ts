// The Textos pages end to end in real headless Chromium against the real app on a loopback port,
// with a fake Twilio: an administrator registers a reviewer through the admin API; a learner
// sends CORREGIR by a signed webhook; the reviewer logs in with the code Twilio was asked to
// text, sees only the Textos pages of Aymara, reads the Spanish beside the draft and the
// learner's suggestion, watches the SMS counter as they type, saves a correction marked reviewed
// (the content files do not change), and the page fits a 360-pixel screen (kept as
// reports/console-texts-360.png). The administrator downloads the proposals as the workbook
// content:import reads.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realContent } from '../support/content.js';
import { lastLessonText } from '../support/last-text.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { fetchTransport, Learner } from '../http/helpers.js';
import { ADMIN_TOKEN, codeSentTo, consoleApp, ConsoleClient, launchChromium } from './helpers.js';

const SCREENSHOT = path.resolve(import.meta.dirname, '../../reports/console-texts-360.png');
const REVIEWER = '+59176600000';
const LESSON = realContent().course.sections[0]!.flows[0]!;
const LOCALE = path.resolve(`locales/ay/${LESSON.id}.yaml`);
/**
 * The lesson's text the learner last received on starting it, which their CORREGIR points at (a
 * text key without the lesson, e.g. `know_each_other`): on WhatsApp, reading ahead sends the
 * first few steps in one turn. Read off the learner's messages in the second test.
 */
let suggestedKey = '';
/** The card of that text (its heading gains " · revisado" once reviewed). */
const suggestedCard = () => {
  const escaped = suggestedKey.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page
    .locator('section.card')
    .filter({ has: page.getByRole('heading', { name: new RegExp(`^${escaped}( · revisado)?$`) }) });
};

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;
let browser: Browser;
let page: Page;
let base = '';

beforeAll(async () => {
  fake = await startFakeTwilio();
  app = await consoleApp(url, prefix, fake);
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await (
    await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'es-BO' })
  ).newPage();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fake?.close();
});

const registerReviewer = (body: unknown) =>
  app.inject({
    method: 'POST',
    url: '/api/reviewers',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });

describe('the Textos pages in a browser', () => {
  const before = readFileSync(LOCALE, 'utf8');

  it('lets an administrator register a reviewer for their languages, and refuses Spanish', async () => {
    const bad = await registerReviewer({ phone: REVIEWER, name: 'Ana Mamani', languages: ['es'] });
    expect(bad.statusCode).toBe(400);
    const ok = await registerReviewer({ phone: REVIEWER, name: 'Ana Mamani', languages: ['ay'] });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ phone: REVIEWER, name: 'Ana Mamani', languages: ['ay'] });
  });

  it('logs the reviewer in with a texted code, to the Textos pages only', async () => {
    // A learner's suggestion for the text they last received on starting the lesson, sent by a
    // signed webhook.
    const learner = new Learner('whatsapp:+59176600001', fetchTransport(base));
    const [started] = (await learner.sendAll('hola', '2', '1', '1')).slice(-1);
    const last = lastLessonText(started!.messages, 'ay', 'whatsapp', LESSON.id);
    suggestedKey = last.key.slice(`${LESSON.id}:`.length);
    await learner.sendAll('CORREGIR Jichhax cooperativat yatiqañani');

    await page.goto(`${base}/console`);
    await page.getByLabel('Número de celular').fill('+591 76600000');
    const sent = fake.messages.length;
    await page.getByRole('button', { name: 'Enviarme un código' }).click();
    await page.getByLabel('Código').fill(await codeSentTo(fake, REVIEWER, sent));
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(`${base}/console/texts`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Textos');
    expect(await page.locator('nav a').allTextContents()).toEqual(['Textos']);
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual(['Aymara']);
    await expect
      .poll(() => page.locator('section.card > p').first().textContent())
      .toMatch(/^0 \/ \d+ revisados/);

    await page.goto(`${base}/console/groups`);
    expect(page.url()).toBe(`${base}/console/texts`);
    expect((await page.goto(`${base}/console/texts/qu/${LESSON.id}`))?.status()).toBe(404);
  });

  it('shows the Spanish beside the draft, the suggestion, and counts SMS as the reviewer types', async () => {
    await page.goto(`${base}/console/texts`);
    await page.getByRole('link', { name: realContent().translator.t('es', `${LESSON.id}:title`) }).click();
    const card = suggestedCard();
    expect(await card.textContent()).toContain(
      realContent().translator.t('es', `${LESSON.id}:${suggestedKey}`),
    );
    expect(await card.textContent()).toContain(
      realContent().translator.t('ay', `${LESSON.id}:${suggestedKey}`),
    );
    expect(await card.locator('details li').allTextContents()).toEqual([
      '1× Jichhax cooperativat yatiqañani',
    ]);

    const box = card.getByLabel('Texto corregido');
    const counter = card.locator('output');
    await box.fill('Aski');
    await expect.poll(() => counter.textContent()).toBe('1 SMS · GSM-7 · 4 caracteres');
    await box.fill('Cooperativax mä empresawa. '.repeat(13).trim());
    await expect.poll(() => counter.textContent()).toMatch(/^3 SMS/);
    expect(await counter.getAttribute('class')).toContain('over');
  });

  it('saves a correction marked reviewed as a proposal; the content files do not change', async () => {
    const card = suggestedCard();
    await card.getByLabel('Texto corregido').fill('Cooperativax mä empresawa: socionakaw dueñopaxa.');
    await card.getByLabel(/Revisado/).check();
    await card.getByRole('button', { name: 'Guardar' }).click();
    await page.waitForURL(/\?saved=/);
    expect(await page.locator('p.ok[role=status]').textContent()).toBe('Guardado.');
    expect(await page.locator('main > p').nth(1).textContent()).toMatch(/^Aymara · 1 \/ \d+ revisados/);
    expect(await suggestedCard().textContent()).toContain('Propuesta guardada por Ana Mamani');
    expect(await suggestedCard().getByRole('heading').textContent()).toBe(`${suggestedKey} · revisado`);
    expect(readFileSync(LOCALE, 'utf8')).toBe(before);
  });

  it('fits a 360-pixel phone screen', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
  });

  it('gives the administrator the proposals as the workbook content:import reads; not the reviewer', async () => {
    expect((await page.goto(`${base}/console/texts/ay/propuestas.xlsx`))?.status()).toBe(404);
    const admin = new ConsoleClient(app);
    await admin.loginAsAdmin();
    const download = await admin.get('/console/texts/ay/propuestas.xlsx');
    expect(download.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('ay')!;
    const row = sheet
      .getRows(2, sheet.rowCount - 1)!
      .find((r) => r.getCell(2).value === suggestedKey && String(r.getCell(1).value).includes(LESSON.id))!;
    expect(row.getCell(11).value).toBe('Cooperativax mä empresawa: socionakaw dueñopaxa.');
    expect(row.getCell(12).value).toBe('sí');
    expect(row.getCell(10).value).toBe('1× Jichhax cooperativat yatiqañani');
  });
});
