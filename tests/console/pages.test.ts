// The console over app.inject: signing in (codes, tries, rate limits, Twilio missing, cookie
// flags), CSRF on every write, a coordinator confined to their own groups in pages and API, the
// administrator seeing all, and the weight of the pages.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { segmentInfo } from '../../src/i18n/sms-spelling.js';
import { learnerId } from '../support/person-ids.js';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { ADMIN_TOKEN, codeSentTo, consoleApp, ConsoleClient, hiddenValue } from './helpers.js';

const { url, prefix } = useTestRedis();
let app: FastifyInstance;
let fake: FakeTwilio;

const ANA = '+59171110001';
const BETO = '+59171110002';
const CARLA = '+59171110003';
const DAVID = '+59171110004';

let anaGroup = '';
let betoGroup = '';
let betoBroadcast = '';
let anaClient: ConsoleClient | undefined;
/** Ana signed in once for the tests that need her (codes per number are rate limited). */
const ana = async () => {
  if (!anaClient) {
    anaClient = new ConsoleClient(app);
    anaClient.ip = '10.0.9.9';
    await anaClient.loginWithCode(fake, ANA);
  }
  return anaClient;
};

beforeAll(async () => {
  fake = await startFakeTwilio();
  // API_DOCS: the page-weight test checks that the console stays out of the OpenAPI document.
  app = await consoleApp(url, prefix, fake, { API_DOCS: 'true' });
  await app.coordinators.register(ANA, 'Ana');
  await app.coordinators.register(BETO, 'Beto');
  await app.coordinators.register(CARLA, 'Carla');
  await app.coordinators.register(DAVID, 'David');
  anaGroup = (await app.groups.create({ name: 'Tejedoras de Ana', locale: 'es', coordinator: ANA })).id;
  const beto = await app.groups.create({ name: 'Mineros de Beto', locale: 'qu', coordinator: BETO });
  betoGroup = beto.id;
  // Two learners join Beto's group over the webhook.
  for (const phone of ['+59172220001', '+59172220002']) {
    await new Learner(phone, injectTransport(app)).sendAll(`UNIRME ${beto.code}`);
  }
});
afterAll(async () => {
  await app?.close();
  await fake?.close();
});

describe('signing in', () => {
  it('sends a page that is not signed in to the login page, and the API answers 401', async () => {
    const client = new ConsoleClient(app);
    const page = await client.get('/console/groups');
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/console/login?next=%2Fconsole%2Fgroups');
    const api = await client.api('GET', `/console/api/groups/${anaGroup}/progress`);
    expect(api.statusCode).toBe(401);
    const login = await client.get('/console/login');
    expect(login.body).toContain('<html lang="es">');
    expect(login.body).toMatch(/<label for="phone">/);
    expect(login.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('logs in with the code texted through Twilio: one GSM-7 segment, a signed httpOnly SameSite cookie', async () => {
    const client = new ConsoleClient(app);
    const login = await client.get('/console/login');
    const before = fake.messages.length;
    await client.post('/console/login/code', { _pre: hiddenValue(login.body, '_pre'), phone: '7111 0001' });
    const code = await codeSentTo(fake, ANA, before);
    const sms = fake.messages.slice(before).find((m) => m.to === ANA)!;
    expect(sms.from).toBe('+15005550006');
    expect(segmentInfo(sms.body)).toMatchObject({ segments: 1, encoding: 'GSM-7' });
    const done = await client.post('/console/login/verify', {
      _pre: hiddenValue(login.body, '_pre'),
      phone: ANA,
      code,
    });
    expect(done.statusCode).toBe(303);
    const cookie = ([] as string[])
      .concat(done.headers['set-cookie'] as string[])
      .find((c) => c.startsWith('ayni_console='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/console/);
    expect(cookie.split(';')[0]).toMatch(/^ayni_console=[\w-]{43}\.[\w\-+/=%]+$/); // value.signature
    const page = await client.get('/console/groups');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tejedoras de Ana');
    // The same code does not work twice.
    const again = await new ConsoleClient(app).post('/console/login/verify', { _pre: 'x', phone: ANA, code });
    expect(again.statusCode).toBe(403);
  });

  it('rejects a tampered cookie', async () => {
    const client = new ConsoleClient(app);
    client.ip = '10.0.0.4';
    await client.loginWithCode(fake, DAVID);
    const value = client.cookies.get('ayni_console')!;
    client.cookies.set(
      'ayni_console',
      value.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    );
    expect((await client.get('/console/groups')).statusCode).toBe(303);
  });

  it('allows 5 tries per code, then asks for a new one', async () => {
    const client = new ConsoleClient(app);
    client.ip = '10.0.0.5';
    const login = await client.get('/console/login');
    const before = fake.messages.length;
    const pre = hiddenValue(login.body, '_pre');
    await client.post('/console/login/code', { _pre: pre, phone: CARLA });
    const code = await codeSentTo(fake, CARLA, before);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const tried = await client.post('/console/login/verify', { _pre: pre, phone: CARLA, code: wrong });
      expect(tried.statusCode).toBe(401);
      expect(tried.body).toContain(`${5 - i} intento`);
    }
    const fifth = await client.post('/console/login/verify', { _pre: pre, phone: CARLA, code: wrong });
    expect(fifth.body).toContain('Pida uno nuevo');
    // The right code is no good any more either.
    const late = await client.post('/console/login/verify', { _pre: pre, phone: CARLA, code });
    expect(late.statusCode).toBe(401);
    expect(late.body).toContain('Pida uno nuevo');
  });

  it('answers an unregistered number like a registered one, and texts nothing', async () => {
    const client = new ConsoleClient(app);
    client.ip = '10.0.0.6';
    const login = await client.get('/console/login');
    const before = fake.messages.length;
    const asked = await client.post('/console/login/code', {
      _pre: hiddenValue(login.body, '_pre'),
      phone: '+59179999999',
    });
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Si +591*****999 es un número de coordinación registrado');
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.messages.slice(before).some((m) => m.to.endsWith('79999999'))).toBe(false);
  });

  it('rate limits codes per number and per address', async () => {
    const client = new ConsoleClient(app);
    client.ip = '10.0.0.7';
    const login = await client.get('/console/login');
    const pre = hiddenValue(login.body, '_pre');
    const phone = '+59178888888'; // not registered: limited all the same
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await client.post('/console/login/code', { _pre: pre, phone })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await client.post('/console/login/code', { _pre: pre, phone });
    expect(limited.headers['retry-after']).toBeDefined();
    for (let i = 0; i < 10; i++)
      await client.post('/console/login/code', { _pre: pre, phone: `+5917666000${i}` });
    const byAddress = await client.post('/console/login/code', { _pre: pre, phone: '+59176660099' });
    expect(byAddress.statusCode).toBe(429);
  });

  it('refuses a login form without its double-submit token', async () => {
    const client = new ConsoleClient(app);
    await client.get('/console/login');
    const forged = await client.post('/console/login/admin', {
      _pre: 'forged',
      token: 'console-admin-token',
    });
    expect(forged.statusCode).toBe(403);
    expect(forged.headers['set-cookie']?.toString() ?? '').not.toContain('ayni_console=');
  });

  it('answers 503 with a clear message when Twilio is not configured', async () => {
    const bare = await consoleApp(url, `${prefix}bare:`, null);
    try {
      const client = new ConsoleClient(bare);
      const login = await client.get('/console/login');
      expect(login.body).toContain('no está configurado');
      const asked = await client.post('/console/login/code', {
        _pre: hiddenValue(login.body, '_pre'),
        phone: ANA,
      });
      expect(asked.statusCode).toBe(503);
      expect(asked.body).toContain('TWILIO_ACCOUNT_SID');
    } finally {
      await bare.close();
    }
  });
});

describe('a coordinator sees and touches only their own groups', () => {
  let a: ConsoleClient;
  let b: ConsoleClient;

  beforeAll(async () => {
    a = await ana();
    b = new ConsoleClient(app);
    b.ip = '10.0.1.2';
    await b.loginWithCode(fake, BETO);
    const sent = await b.api('POST', '/console/api/broadcasts', {
      target: { groups: [betoGroup] },
      text: { es: 'Reunión mañana a las 10:00' },
      sendAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(sent.statusCode).toBe(201);
    betoBroadcast = (sent.json() as { id: string }).id;
  });

  it('lists only their groups', async () => {
    const page = await a.get('/console/groups');
    expect(page.body).toContain('Tejedoras de Ana');
    expect(page.body).not.toContain('Mineros de Beto');
    expect(page.body).not.toContain(betoGroup);
  });

  it('gets 404 for another coordinator’s group pages, CSVs and API', async () => {
    for (const path of [
      `/console/groups/${betoGroup}`,
      `/console/groups/${betoGroup}/progress`,
      `/console/groups/${betoGroup}/progress/lessons.csv`,
      `/console/api/groups/${betoGroup}/progress`,
      `/console/api/groups/${betoGroup}/progress.csv`,
      `/console/reminders/${betoBroadcast}`,
      `/console/api/broadcasts/${betoBroadcast}`,
    ]) {
      const response = path.includes('/api/') ? await a.api('GET', path) : await a.get(path);
      expect(response.statusCode, path).toBe(404);
      expect(response.body, path).not.toContain('Mineros');
    }
    // Their own: 200.
    expect((await a.get(`/console/groups/${anaGroup}/progress`)).statusCode).toBe(200);
    expect((await a.api('GET', `/console/api/groups/${anaGroup}/progress`)).statusCode).toBe(200);
    expect((await b.api('GET', `/console/api/broadcasts/${betoBroadcast}`)).statusCode).toBe(200);
  });

  it('cannot remove a member, send to, or cancel in another coordinator’s group', async () => {
    const members = await app.groups.count(betoGroup);
    const page = await b.get(`/console/groups/${betoGroup}`);
    const member = hiddenValue(page.body, 'member');
    await a.get('/console/groups');
    const removed = await a.post(`/console/groups/${betoGroup}/members/remove`, { member });
    expect(removed.statusCode).toBe(404);
    expect(await app.groups.count(betoGroup)).toBe(members);

    const sent = await a.api('POST', '/console/api/broadcasts', {
      target: { groups: [betoGroup] },
      text: { es: 'hola' },
    });
    expect(sent.statusCode).toBe(422);
    const everyone = await a.api('POST', '/console/api/broadcasts', {
      target: { all: true },
      text: { es: 'hola' },
    });
    expect(everyone.statusCode).toBe(403);
    const form = await a.post('/console/reminders', {
      text_es: 'hola',
      groups: betoGroup,
      when: 'now',
      action: 'send',
    });
    expect(form.statusCode).toBe(422);

    expect((await a.api('DELETE', `/console/api/broadcasts/${betoBroadcast}`)).statusCode).toBe(404);
    expect((await a.post(`/console/reminders/${betoBroadcast}/cancel`, {})).statusCode).toBe(404);
    const still = await b.api('GET', `/console/api/broadcasts/${betoBroadcast}`);
    expect((still.json() as { state: string }).state).toBe('scheduled');
    // The admin token sent by a coordinator's browser changes nothing: the session decides.
    const withToken = await a.get(`/console/api/groups/${betoGroup}/progress`, {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(withToken.statusCode).toBe(404);
  });

  it('lets the administrator see every group and every broadcast', async () => {
    const admin = new ConsoleClient(app);
    admin.ip = '10.0.1.3';
    await admin.loginAsAdmin();
    const page = await admin.get('/console/groups');
    expect(page.body).toContain('Tejedoras de Ana');
    expect(page.body).toContain('Mineros de Beto');
    expect((await admin.get(`/console/groups/${betoGroup}/progress`)).statusCode).toBe(200);
    expect((await admin.api('GET', `/console/api/broadcasts/${betoBroadcast}`)).statusCode).toBe(200);
  });

  it('a coordinator removes a member of their own group', async () => {
    const page = await b.get(`/console/groups/${betoGroup}`);
    expect(page.body).toContain('+591*****001');
    expect(page.body).not.toContain('72220001');
    expect(page.body).not.toContain(learnerId('+59172220001'));
    const before = await app.groups.count(betoGroup);
    const removed = await b.post(`/console/groups/${betoGroup}/members/remove`, {
      member: hiddenValue(page.body, 'member'),
    });
    expect(removed.statusCode).toBe(303);
    expect(await app.groups.count(betoGroup)).toBe(before - 1);
  });
});

describe('CSRF', () => {
  it('refuses a form without the session’s token, and an API write without the header', async () => {
    const client = await ana();
    const count = (await app.groups.listByCoordinator(ANA)).length;
    const none = await client.post('/console/groups', { name: 'Sin token', locale: 'es' }, { csrf: false });
    expect(none.statusCode).toBe(403);
    const wrong = await client.post('/console/groups', {
      _csrf: 'x'.repeat(32),
      name: 'Token falso',
      locale: 'es',
    });
    expect(wrong.statusCode).toBe(403);
    const crossSite = await client.post(
      '/console/groups',
      { name: 'De otro sitio', locale: 'es' },
      { headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(crossSite.statusCode).toBe(403);
    expect((await app.groups.listByCoordinator(ANA)).length).toBe(count);
    const api = await client.api(
      'POST',
      '/console/api/broadcasts',
      { target: { groups: [anaGroup] }, text: { es: 'hola' } },
      { csrf: false },
    );
    expect(api.statusCode).toBe(403);
    const ok = await client.post('/console/groups', { name: 'Con token', locale: 'ay' });
    expect(ok.statusCode).toBe(303);
    expect((await app.groups.listByCoordinator(ANA)).length).toBe(count + 1);
  });
});

describe('page weight', () => {
  it('keeps pages, style sheet and script small', async () => {
    const client = await ana();
    const sizes: Record<string, number> = {};
    for (const [name, path] of [
      ['groups', '/console/groups'],
      ['group', `/console/groups/${anaGroup}`],
      ['progress', `/console/groups/${anaGroup}/progress`],
      ['reminders', '/console/reminders'],
      ['try', '/console/try'],
      ['verify', '/console/verify'],
    ] as const) {
      const page = await client.get(path);
      expect(page.statusCode, path).toBe(200);
      sizes[name] = Buffer.byteLength(page.body);
    }
    const groups = await client.get('/console/groups');
    const css = /href="(\/console\/assets\/[^"]+\.css)"/.exec(groups.body)![1]!;
    const js = /src="(\/console\/assets\/[^"]+\.js)"/.exec(groups.body)![1]!;
    const cssReply = await client.get(css);
    expect(cssReply.headers['cache-control']).toContain('immutable');
    sizes.css = Buffer.byteLength(cssReply.body);
    sizes.js = Buffer.byteLength((await client.get(js)).body);
    console.log('console page weight (bytes):', JSON.stringify(sizes));
    // The console's routes stay out of the bearer-token API's OpenAPI document.
    const spec = await app.inject({
      method: 'GET',
      url: '/docs/json',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const paths = Object.keys(spec.json<{ paths: Record<string, unknown> }>().paths);
    expect(paths).toContain('/api/broadcasts');
    expect(paths.filter((p) => p.startsWith('/console'))).toEqual([]);
    expect(sizes.css! + sizes.js!).toBeLessThan(14_000);
    for (const name of ['groups', 'group', 'progress', 'reminders', 'try', 'verify'])
      expect(sizes[name]).toBeLessThan(20_000);
  });
});
