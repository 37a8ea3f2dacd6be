// An opt-out outlives BORRAR: a coordinator who sent STOP and then BORRAR gets nothing on any
// outbound path (a member's join notice, a broadcast to everyone, a console login code), all of
// which go to a number even without a session; nor a reply when they write again. START opts
// them back in, and messages flow again.
import { describe, expect, it } from 'vitest';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { useBroadcastApp } from '../broadcasts/helpers.js';
import { codeSentTo, ConsoleClient, hiddenValue } from '../console/helpers.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { outboundIdle, sendJobsOver } from './helpers.js';

const { url, prefix } = useTestRedis();
const { app, fake, api } = await useBroadcastApp(url, prefix);

const COORDINATOR = '+59161230088';
const MEMBERS = ['+59172841901', '+59172841902'];
const t = (key: string, vars?: Record<string, string | number>) =>
  realContent().translator.t('es', `common:${key}`, vars);
const toCoordinator = () =>
  fake.messages.filter((m) => m.to === COORDINATOR || m.to === `whatsapp:${COORDINATOR}`);

/**
 * Asks the console for a login code for `phone`, as the login page does, and waits until the
 * code's send job is over (it is enqueued after the page's answer, and is sent or skipped).
 */
async function askForCode(phone: string): Promise<void> {
  const before = await sendJobsOver(app);
  const browser = new ConsoleClient(app);
  const login = await browser.get('/console/login');
  const asked = await browser.post('/console/login/code', { _pre: hiddenValue(login.body, '_pre'), phone });
  expect(asked.statusCode).toBe(200);
  await waitFor('the login code’s send job to be over', async () => (await sendJobsOver(app)) > before);
}

/** A broadcast to everyone, gone out to everyone it went to. */
async function broadcastToAll(text: string): Promise<void> {
  await api.settled((await api.create({ target: { all: true }, text: { es: text } })).id);
  await waitFor('the broadcast’s sends', () => outboundIdle(app));
}

describe('STOP, then BORRAR', () => {
  const coordinator = () => new Learner(`whatsapp:${COORDINATOR}`, injectTransport(app));
  const member = (i: number) => new Learner(`whatsapp:${MEMBERS[i]}`, injectTransport(app));
  let code = '';

  it('sends nothing more to the number: notices, broadcasts, login codes, replies', async () => {
    expect((await api.registerCoordinator(COORDINATOR, 'Rosa')).statusCode).toBe(201);
    await coordinator().sendAll('hola', '1');
    code = /Código: ([A-Z0-9]{6})/.exec((await coordinator().send('GRUPO Feria')).text)?.[1] ?? '';
    expect(code).not.toBe('');
    expect((await coordinator().send('STOP')).text).toBe(t('stopped'));
    expect((await coordinator().send('BORRAR')).text).toBe(t('deleted'));
    fake.reset();

    // A member joins: the coordinator's join notice goes to a number with no session.
    await member(0).sendAll(`UNIRME ${code}`);
    await broadcastToAll('Taller el lunes');
    expect(fake.messages.map((m) => m.to)).toContain(`whatsapp:${MEMBERS[0]}`);
    await askForCode(COORDINATOR);
    expect(toCoordinator()).toEqual([]);

    // Writing again starts no conversation either: still opted out.
    expect((await coordinator().send('hola')).messages).toEqual([]);
  });

  it('START opts back in: notices, broadcasts and login codes go again', async () => {
    expect((await coordinator().send('START')).status).toBe(200);
    fake.reset();

    await member(1).sendAll(`UNIRME ${code}`);
    await waitFor('the join notice', () => toCoordinator().length === 1);
    await broadcastToAll('Reunión el sábado');
    expect(toCoordinator().map((m) => m.body)).toContain('Reunión el sábado');
    await askForCode(COORDINATOR);
    expect(await codeSentTo(fake, COORDINATOR)).toMatch(/^\d{6}$/);
  });
});
