// A repeating broadcast is bounded: at most once an hour, and until at most a year (366 days)
// after its first send; `until` is required. The admin API answers 400 with what is wrong, and
// the console's reminder form shows the same message.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPEAT_TOO_LONG, REPEAT_TOO_OFTEN } from '../../src/broadcasts/broadcast-input.js';
import { ADMIN_TOKEN, consoleApp, ConsoleClient } from '../console/helpers.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;

const DAY_MS = 24 * 60 * 60 * 1000;
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString();
const BODY = { target: { locale: 'es' }, text: { es: 'Reunión el lunes' } };

beforeAll(async () => {
  fake = await startFakeTwilio();
  app = await consoleApp(url, prefix, fake);
});
afterAll(async () => {
  await app.close();
  await fake.close();
});

const create = (repeat: object, extra: object = {}) =>
  app.inject({
    method: 'POST',
    url: '/api/broadcasts',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    payload: { ...BODY, repeat, ...extra },
  });

describe('a repeating broadcast by the admin API', () => {
  it.each([
    ['every minute', '* * * * *'],
    ['every second', '* * * * * *'],
    ['every 15 minutes', '*/15 8 * * 1'],
    ['twice within an hour', '0,30 8 * * *'],
    ['a range of minutes', '0-5 8 * * *'],
    ['every second of one minute', '* 0 8 * * *'],
  ])('refuses %s (%s) with a 400 that says why', async (_what, cron) => {
    const response = await create({ cron, until: inDays(7) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: REPEAT_TOO_OFTEN });
  });

  it.each([
    ['once an hour', '0 * * * *'],
    ['once an hour, with seconds', '30 15 * * * *'],
    ['every weekday morning', '0 8 * * 1-5'],
    ['twice a day', '0 8,20 * * *'],
  ])('accepts %s (%s)', async (_what, cron) => {
    const response = await create({ cron, until: inDays(30) });
    expect(response.statusCode, response.body).toBe(201);
  });

  it('refuses an `until` more than a year after the first send', async () => {
    const response = await create({ cron: '0 8 * * 1', until: inDays(368) });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: REPEAT_TOO_LONG });
  });

  it('counts the year from sendAt when the broadcast starts later', async () => {
    const ok = await create({ cron: '0 8 * * 1', until: inDays(400) }, { sendAt: inDays(100) });
    expect(ok.statusCode, ok.body).toBe(201);
    const tooLong = await create({ cron: '0 8 * * 1', until: inDays(500) }, { sendAt: inDays(100) });
    expect(tooLong.statusCode).toBe(400);
  });

  it('refuses a repeat without `until`', async () => {
    const response = await create({ cron: '0 8 * * 1' });
    expect(response.statusCode).toBe(400);
    expect(response.json<{ error: string }>().error).toMatch(/missing the field 'until'/);
  });
});

describe("the console's reminder form", () => {
  it('shows the same message for a weekly reminder until two years from now', async () => {
    const admin = new ConsoleClient(app);
    admin.ip = '10.40.0.1';
    await admin.loginAsAdmin();
    expect((await admin.get('/console/reminders')).statusCode).toBe(200);
    const page = await admin.post('/console/reminders', {
      text_es: 'Reunión el lunes',
      target: 'all',
      when: 'weekly',
      day: '1',
      time: '10:00',
      until: inDays(730).slice(0, 10),
      action: 'send',
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain(`No se pudo crear el aviso: ${REPEAT_TOO_LONG}`);
  });
});
