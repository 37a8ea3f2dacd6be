// The console end to end in real headless Chromium (Debian's chromium, driven by playwright-core)
// against the real app on a loopback port, with a fake Twilio: a coordinator logs in with the
// code Twilio was asked to text, creates a group, watches members join through signed webhooks,
// removes one, sends a reminder in three languages and watches its counts move (sent, then
// delivered after a status callback), talks to the bot in the simulator, verifies a completion
// code, and looks at the group's progress on a 360-pixel-wide screen, kept as
// reports/console-progress.png.
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../src/content/flow-schema.js';
import { countSms, describeCount } from '../../src/routes/console/sms-count.js';
import { realContent } from '../support/content.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { signedTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';
import { fetchTransport, Learner, PUBLIC_URL } from '../http/helpers.js';
import { course, firstLesson, menuNumber, rightAnswer, stepPath } from '../http/course-walk.js';
import { codeSentTo, consoleApp, launchChromium } from './helpers.js';

const SCREENSHOT = path.resolve(import.meta.dirname, '../../reports/console-progress.png');

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;
let browser: Browser;
let page: Page;
let base = '';

const ROSA = '+59176500000';
const SMS_ES = '+59176500001';
const WA_AY = '+59176500002';
const SMS_QU = '+59176500003';
const LEAVER = '+59176500004';

const learner = (from: string) => new Learner(from, fetchTransport(base));

beforeAll(async () => {
  fake = await startFakeTwilio();
  app = await consoleApp(url, prefix, fake, { SMS_RATE_PER_SECOND: '50' });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  await app.coordinators.register(ROSA, 'Rosa Quispe');
  browser = await launchChromium(['--disable-quic', '--disable-component-update', '--disable-sync']);
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'es-BO' });
  page = await context.newPage();
  // Confirmations (remove a member) are answered yes.
  page.on('dialog', (dialog) => void dialog.accept());
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await fake?.close();
});

describe('the coordinator console in a browser', () => {
  let code = '';
  let groupUrl = '';

  it('logs in with the code texted through Twilio', async () => {
    await page.goto(`${base}/console`);
    await expect.poll(() => page.url()).toContain('/console/login');
    await page.getByLabel('Número de celular').fill('+591 76500000');
    const before = fake.messages.length;
    await page.getByRole('button', { name: 'Enviarme un código' }).click();
    const sent = await codeSentTo(fake, ROSA, before);
    await page.getByLabel('Código').fill(sent);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.waitForURL(`${base}/console/groups`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Grupos');
    expect(await page.locator('html').getAttribute('lang')).toBe('es');
    // The session cookie is out of reach of scripts.
    expect(await page.evaluate(() => document.cookie)).not.toContain('ayni_console=');
  });

  it('creates a group and shows its join code in large type', async () => {
    await page.getByLabel('Nombre del grupo').fill('Mercado Rodríguez');
    await page.getByLabel('Idioma del grupo').selectOption('es');
    await page.getByRole('button', { name: 'Crear grupo' }).click();
    await page.waitForURL(/\/console\/groups\/[0-9a-z]{10}\?ok=created$/);
    groupUrl = page.url().replace(/\?.*$/, '');
    code = ((await page.locator('p.code').textContent()) ?? '').trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    const size = await page.locator('p.code').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(size).toBeGreaterThanOrEqual(35);
  });

  it('shows members joining through signed webhooks, masked, and removes one', async () => {
    // Spanish by SMS, joining with the code alone after choosing a language.
    await learner(SMS_ES).sendAll(`UNIRME ${code}`);
    // Aymara on WhatsApp, Quechua by SMS: they chose their language before joining.
    await learner(`whatsapp:${WA_AY}`).sendAll('hola', '2', `UNIRME ${code}`);
    await learner(SMS_QU).sendAll('hola', '3', code);
    await learner(LEAVER).sendAll(`UNIRME ${code}`);
    await page.reload();
    await expect.poll(() => page.locator('#member-count').textContent()).toBe('4');
    const table = (await page.locator('table').textContent()) ?? '';
    for (const masked of ['+591*****001', '+591*****002', '+591*****003', '+591*****004'])
      expect(table).toContain(masked);
    expect(table).not.toContain('76500001');

    await page.getByRole('button', { name: 'Quitar a +591*****004' }).click();
    await page.waitForURL(/ok=removed/);
    expect(await page.locator('#member-count').textContent()).toBe('3');
  });

  it('sends a reminder in three languages, with live SMS counters, and watches its counts', async () => {
    // Progress for the charts: one member finishes the first lesson and the feasibility check.
    const walker = learner(SMS_ES);
    const lesson = firstLesson();
    await walker.sendAll(lesson.sectionNumber, lesson.number, ...lesson.path.map(rightAnswer), 'MENU');
    const assessment = stepPath(course().assessment);
    await walker.sendAll(
      menuNumber('assessment'),
      ...assessment.map((step: Step, i) =>
        step.type === 'rating' ? String((i % step.options.length) + 1) : '1',
      ),
    );

    await page.goto(groupUrl);
    await page.getByRole('link', { name: 'Enviar un aviso' }).click();
    await page.waitForURL(/\/console\/reminders\?group=/);
    expect(await page.getByRole('checkbox', { name: /Mercado Rodríguez/ }).isChecked()).toBe(true);

    const texts = {
      es: 'Reunión del grupo mañana a las 10:00 en la sede. ¡No falten!',
      ay: 'Qharürú 10:00 horasanx tantachäwi utjani. Jutapxam!',
      qu: 'Paqarin 10:00 horasta huñunakusun. Ama qunqankichu 🙂',
    };
    for (const lang of ['es', 'ay', 'qu'] as const) {
      await page.locator(`#t-${lang}`).fill(texts[lang]);
      // The page's script counts as the server would: same spelling, same segments and encoding.
      const expected = describeCount(countSms(texts[lang], lang, realContent().spelling));
      await expect.poll(() => page.locator(`#c-${lang}`).textContent()).toBe(expected);
    }
    expect(await page.locator('#c-es').textContent()).toContain('1 SMS · GSM-7');
    expect(await page.locator('#c-qu').textContent()).toContain('UCS-2 (por 🙂)');

    const before = fake.messages.length;
    await page.getByRole('button', { name: 'Enviar aviso' }).click();
    await page.waitForURL(/\/console\/reminders\/[0-9a-z]{12}\?ok=created$/);
    // The counts update in place (polled), without reloading the page.
    await expect.poll(() => page.locator('[data-count="sent"]').textContent(), { timeout: 15_000 }).toBe('3');
    expect(await page.locator('[data-state]').first().textContent()).toBe('terminado');
    const got = fake.messages.slice(before);
    expect(got.find((m) => m.to === SMS_ES)?.body).toBe(
      'Reunion del grupo mañana a las 10:00 en la sede. ¡No falten!',
    );
    expect(got.find((m) => m.to === `whatsapp:${WA_AY}`)?.body).toBe(texts.ay);
    expect(got.find((m) => m.to === SMS_QU)?.body).toBe(texts.qu);

    // Twilio reports one delivered: the page shows it.
    const sid = got.find((m) => m.to === SMS_ES)!.sid;
    const status = signedTwilioRequest(TEST_TWILIO.authToken, `${PUBLIC_URL}/twilio/status`, {
      AccountSid: TEST_TWILIO.accountSid,
      MessageSid: sid,
      MessageStatus: 'delivered',
    });
    const posted = await fetch(`${base}/twilio/status`, {
      method: 'POST',
      headers: status.headers,
      body: status.payload,
    });
    expect(posted.status).toBeLessThan(300);
    await expect
      .poll(() => page.locator('[data-count="delivered"]').textContent(), { timeout: 20_000 })
      .toBe('1');
  });

  it('talks to the real bot in the simulator, in any language and channel', async () => {
    await page.goto(`${base}/console/try`);
    await page.getByLabel('Su mensaje').fill('hola');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    await page.waitForURL(/\/console\/try/);
    const t = (lang: 'es' | 'ay', key: string) => realContent().translator.t(lang, key);
    await expect.poll(() => page.locator('.chat').textContent()).toContain(t('es', 'common:welcome'));
    await page.getByLabel('Su mensaje').fill('1');
    await page.getByRole('button', { name: 'Enviar', exact: true }).click();
    await expect
      .poll(() => page.locator('.chat li.bot').last().textContent())
      .toContain('1 Aprender: Think.COOP');
    expect(await page.locator('.chat li.bot small').last().textContent()).toMatch(/\d SMS GSM-7/);

    await page.locator('details summary').click();
    await page.getByRole('radio', { name: 'WhatsApp' }).check();
    await page.getByLabel('Idioma').selectOption('ay');
    await page.getByRole('button', { name: 'Empezar de nuevo' }).click();
    await expect
      .poll(() => page.locator('.chat li.bot').last().textContent())
      .toContain('Yatiqaña: Think.COOP');
    expect(await page.locator('main').textContent()).toContain('WhatsApp');
    expect(t('ay', 'common:menu')).toContain('Yatiqaña: Think.COOP');
  });

  it('verifies a completion code', async () => {
    await app.completions.record({
      code: 'AYNI-K7M2-QX4P',
      section: 'think-coop',
      on: '2026-03-02',
      learner: 'x',
    });
    await page.goto(`${base}/console/verify`);
    await page.getByLabel('Código').fill('ayni k7m2 qx4p');
    await page.getByRole('button', { name: 'Verificar' }).click();
    expect(await page.locator('[role=status]').textContent()).toContain('AYNI-K7M2-QX4P es válido');
  });

  it('shows progress charts that fit a 360-pixel phone screen, with a CSV beside each', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${groupUrl}/progress`);
    expect(await page.locator('svg.chart').count()).toBe(3);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(360);
    const lessons = (await page.locator('#c-lessons-t').textContent()) ?? '';
    expect(lessons).toContain('terminaron');
    expect(await page.locator('svg.chart').first().textContent()).toContain('1 de 3');
    for (const name of ['lessons', 'scores', 'feasibility']) {
      const csv = await page.request.get(`${groupUrl}/progress/${name}.csv`);
      expect(csv.headers()['content-type']).toContain('text/csv');
    }
    const members = await page.request.get(
      `${base}/console/api/groups/${groupUrl.split('/').pop()}/progress.csv`,
    );
    expect((await members.text()).split('\r\n').filter(Boolean)).toHaveLength(4);
    const html = await (await page.request.get(`${groupUrl}/progress`)).body();
    console.log(`progress page with three charts: ${html.length} bytes of HTML`);
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    // Keyboard: the first Tab reaches the skip link, which leads to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Saltar al contenido');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('logs out', async () => {
    await page.getByRole('button', { name: 'Salir' }).click();
    await page.waitForURL(/\/console\/login\?bye=1$/);
    await page.goto(`${base}/console/groups`);
    expect(page.url()).toContain('/console/login');
  });
});
