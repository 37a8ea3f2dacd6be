// The Textos pages' answers to what a browser may send: a correction that loses a placeholder or
// is empty is refused with why (400) and nothing is saved; a text that does not exist is a 404;
// a coordinator has no Textos pages.
import { afterAll, describe, expect, it } from 'vitest';
import { startFakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { consoleApp, ConsoleClient } from './helpers.js';

const { url, prefix } = useTestRedis();
const fake = await startFakeTwilio();
const app = await consoleApp(url, prefix, fake);
afterAll(async () => {
  await app.close();
  await fake.close();
});

async function admin(): Promise<ConsoleClient> {
  const client = new ConsoleClient(app);
  await client.loginAsAdmin();
  await client.get('/console/texts/qu/common');
  return client;
}

describe('saving on the Textos page', () => {
  it('refuses a correction that loses a placeholder, saying which to keep, and saves nothing', async () => {
    const client = await admin();
    const refused = await client.post('/console/texts/qu/common', {
      key: 'common:right',
      text: 'Allinmi!',
      reviewed: '1',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Mantenga exactamente los marcadores del español: {{explanation}}');
    expect(refused.body).toContain('>\nAllinmi!</textarea');
    expect(await app.stores.proposals.forLanguage('qu')).toEqual(new Map());
  });

  it('refuses an empty correction', async () => {
    const client = await admin();
    const refused = await client.post('/console/texts/qu/common', { key: 'common:menu', text: '   ' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('El texto está vacío');
  });

  it('answers 404 for a text that does not exist or a language that is not reviewed', async () => {
    const client = await admin();
    expect(
      (await client.post('/console/texts/qu/common', { key: 'common:nothing', text: 'x' })).statusCode,
    ).toBe(404);
    expect((await client.get('/console/texts/es/common')).statusCode).toBe(404);
  });

  it('keeps a sound correction as a proposal with who saved it', async () => {
    const client = await admin();
    const saved = await client.post('/console/texts/qu/common', {
      key: 'common:right',
      text: 'Allinmi! {{explanation}}',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toMatch(/^\/console\/texts\/qu\/common\?saved=common%3Aright#t\d+$/);
    const proposal = (await app.stores.proposals.forLanguage('qu')).get('common:right');
    expect(proposal).toMatchObject({
      text: 'Allinmi! {{explanation}}',
      reviewed: false,
      by: 'Administración',
    });
  });
});

describe('a coordinator', () => {
  it('has no Textos pages and no Textos link', async () => {
    const phone = '+59176700000';
    await app.coordinators.register(phone, 'Rosa');
    const client = new ConsoleClient(app);
    await client.loginWithCode(fake, phone);
    expect((await client.get('/console/groups')).body).not.toContain('/console/texts');
    expect((await client.get('/console/texts')).statusCode).toBe(404);
    expect(
      (await client.post('/console/texts/qu/common', { key: 'common:menu', text: 'Menu' })).statusCode,
    ).toBe(404);
  });
});
