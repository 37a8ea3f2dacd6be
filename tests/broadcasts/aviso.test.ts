// AVISO <code> <text> by text: a coordinator sends a reminder to one of their groups and hears
// how many it will reach; members get it once, in their language's frame; nobody else can.
import { describe, expect, it } from 'vitest';
import { spellForChannel } from '../../src/i18n/sms-spelling.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { sleep, waitFor } from '../support/wait-for.js';
import { numberFor, useBroadcastApp } from './helpers.js';

const { url, prefix } = useTestRedis();
const { app, fake, api } = await useBroadcastApp(url, prefix);

const COORDINATOR = numberFor(4, 0);
const OTHER_COORDINATOR = numberFor(4, 90);
const MEMBERS = [numberFor(4, 1), numberFor(4, 2), numberFor(4, 3)];
const OUTSIDER = numberFor(4, 50);
const t = (key: string, vars?: Record<string, string | number>) =>
  realContent().translator.t('es', `common:${key}`, vars);
const onWhatsApp = (phone: string) => new Learner(`whatsapp:${phone}`, injectTransport(app));
const sentTo = (phone: string) =>
  fake.messages.filter((m) => m.to === `whatsapp:${phone}`).map((m) => m.body);

describe('AVISO by text', () => {
  let code = '';
  const NOTICE = 'Reunión mañana a las 10:00 en la sede';

  it('goes to every member of the coordinator’s group, once, and says how many it reaches', async () => {
    for (const [phone, name] of [
      [COORDINATOR, 'Rosa'],
      [OTHER_COORDINATOR, 'Juan'],
    ] as const) {
      expect((await api.registerCoordinator(phone, name)).statusCode).toBe(201);
    }
    await onWhatsApp(COORDINATOR).sendAll('hola', '1');
    const created = await onWhatsApp(COORDINATOR).send('GRUPO Feria 16 de Julio');
    code = /Código: ([A-Z0-9]{6})/.exec(created.text)?.[1] ?? '';
    expect(code).not.toBe('');
    for (const phone of MEMBERS) await onWhatsApp(phone).sendAll(`UNIRME ${code}`);
    await onWhatsApp(MEMBERS[2]!).sendAll('STOP');
    await waitFor('the join notices', () => sentTo(COORDINATOR).length === 3);
    fake.reset();

    const reply = await onWhatsApp(COORDINATOR).send(`AVISO ${code} ${NOTICE}`);
    expect(reply.text).toBe(t('notice_sent', { group: 'Feria 16 de Julio', count: 2 }));
    const body = t('notice_body', { group: 'Feria 16 de Julio', text: NOTICE });
    await waitFor('the notice', () => MEMBERS.slice(0, 2).every((m) => sentTo(m).length === 1));
    for (const phone of MEMBERS.slice(0, 2)) expect(sentTo(phone)).toEqual([body]);
    expect(sentTo(MEMBERS[2]!)).toEqual([]); // sent STOP

    // The same AVISO again (a retry, a double tap) is the same broadcast: nobody gets it twice.
    const again = await onWhatsApp(COORDINATOR).send(`AVISO ${code} ${NOTICE}`);
    expect(again.text).toBe(reply.text);
    await sleep(500);
    for (const phone of MEMBERS.slice(0, 2)) expect(sentTo(phone)).toHaveLength(1);
  });

  it('reaches SMS members spelled for SMS', async () => {
    const sms = numberFor(4, 4);
    await new Learner(sms, injectTransport(app)).sendAll(`UNIRME ${code}`);
    // Everything this test sends arrives within it: a late message would count in the next one.
    await waitFor('the join notice', () => sentTo(COORDINATOR).length === 1);
    fake.reset();
    await onWhatsApp(COORDINATOR).sendAll(`AVISO ${code} Mañana traigan su cuaderno`);
    await waitFor('the SMS notice', () => fake.messages.some((m) => m.to === sms));
    await waitFor('the notice at the other members', () =>
      MEMBERS.slice(0, 2).every((m) => sentTo(m).length === 1),
    );
    const expected = spellForChannel(
      t('notice_body', { group: 'Feria 16 de Julio', text: 'Mañana traigan su cuaderno' }),
      'es',
      'sms',
      realContent().spelling,
    );
    expect(fake.messages.find((m) => m.to === sms)?.body).toBe(expected);
  });

  it('answers another coordinator’s group like a missing one, and asks for the text', async () => {
    await onWhatsApp(OTHER_COORDINATOR).sendAll('hola', '1');
    fake.reset();
    const other = await onWhatsApp(OTHER_COORDINATOR).send(`AVISO ${code} hola`);
    expect(other.text).toBe(t('group_not_found'));
    const empty = await onWhatsApp(COORDINATOR).send(`AVISO ${code}`);
    expect(empty.text).toBe(t('notice_no_text'));
    await sleep(300);
    expect(fake.messages).toHaveLength(0);
  });

  it('is not a command for a learner who is not a coordinator', async () => {
    await onWhatsApp(OUTSIDER).sendAll('hola', '1');
    const reply = await onWhatsApp(OUTSIDER).send(`AVISO ${code} hola a todos`);
    expect(reply.text).not.toContain('Aviso para');
    await sleep(300);
    expect(fake.messages.filter((m) => MEMBERS.some((p) => m.to.endsWith(p)))).toHaveLength(0);
  });
});
