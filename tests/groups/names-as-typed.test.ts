// A coordinator's own words (a group's name, an AVISO's text) come back exactly as typed, through
// signed webhooks, even when they look like the templates Ayni's texts are written in.
import { describe, expect, it } from 'vitest';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { numberFor, useBroadcastApp } from '../broadcasts/helpers.js';

const { url, prefix } = useTestRedis();
const { app, fake, api } = await useBroadcastApp(url, prefix);

const learner = (from: string) => new Learner(from, injectTransport(app));
const sentTo = (to: string) => fake.messages.filter((m) => m.to === to).map((m) => m.body);

/** i18next's placeholder, its unescaped form, nesting, and nesting with options. */
const TYPED = ['{{code}}', '$t(common:menu)', '{{- x}}', '$t(x, {"a": "{{b}}"})'];

describe('names and notices as typed', () => {
  it.each(TYPED.map((name, i) => [name, i] as const))(
    'a group named %j is called that in every reply, and so is its AVISO',
    async (name, i) => {
      const coordinator = numberFor(7, i * 10);
      const member = numberFor(7, i * 10 + 1);
      expect((await api.registerCoordinator(coordinator, 'Rosa')).statusCode).toBe(201);
      await learner(`whatsapp:${coordinator}`).sendAll('hola', '1');

      const created = await learner(`whatsapp:${coordinator}`).send(`GRUPO ${name}`);
      const [group] = await app.groups.listByCoordinator(coordinator);
      const code = group?.code ?? '';
      expect(group?.name).toBe(name);
      expect(created.text).toBe(
        `Grupo ${name} creado. Código: ${code}. Que cada persona envíe UNIRME ${code} a este número.`,
      );

      // The member is on SMS: the name is all GSM-7, so the SMS spelling leaves it alone.
      const [, joined] = await learner(member).sendAll('hola', `UNIRME ${code}`);
      // (the menu follows, in the same SMS or the next)
      expect(joined?.text.split('\n')[0]).toBe(
        `Te uniste al grupo ${name}. Ya son 1. Tus lecciones y tu progreso siguen igual.`,
      );
      await waitFor('the join notice', () => sentTo(`whatsapp:${coordinator}`).length === 1);
      expect(sentTo(`whatsapp:${coordinator}`)[0]).toMatch(
        new RegExp(`^Alguien \\(.+\\) se unió a ${escapeRegExp(name)}\\. Ya son 1\\.$`),
      );

      const notice = await learner(`whatsapp:${coordinator}`).send(`AVISO ${code} ${name}`);
      expect(notice.text).toBe(`Aviso para ${name} en camino: llegará a 1 personas.`);
      await waitFor('the notice', () => sentTo(member).length === 1);
      expect(sentTo(member)).toEqual([`Aviso de ${name}: ${name}`]);
    },
  );

  it('shows a group named in the admin API as named', async () => {
    const coordinator = numberFor(7, 90);
    const member = numberFor(7, 91);
    expect((await api.registerCoordinator(coordinator, 'Juan')).statusCode).toBe(201);
    const created = await api.createGroup({ name: '{{count}} $t(common:help)', locale: 'es', coordinator });
    expect(created.statusCode).toBe(201);
    const { code } = created.json<{ code: string }>();
    const [, joined] = await learner(`whatsapp:${member}`).sendAll('hola', `UNIRME ${code}`);
    expect(joined?.messages[0]).toBe(
      'Te uniste al grupo {{count}} $t(common:help). Ya son 1. Tus lecciones y tu progreso siguen igual.',
    );
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
