// Broadcasts over the real app, outbound sender and BullMQ, against the fake Twilio: a group in
// three languages (and a learner's reply goes on as usual), a missing language, STOP, a deleted
// learner, and WhatsApp learners outside the 24-hour window with and without a template.
import { beforeAll, describe, expect, it } from 'vitest';
import { qualifyKey } from '../../src/flows/course.js';
import { spellForChannel } from '../../src/i18n/sms-spelling.js';
import { Keyspace } from '../../src/store/keyspace.js';
import { realContent } from '../support/content.js';
import { useTestRedis } from '../support/test-redis.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { waitFor } from '../support/wait-for.js';
import { numberFor, saveLearner, useBroadcastApp } from './helpers.js';

const { url, prefix, redis } = useTestRedis();
const { app, fake, api } = await useBroadcastApp(url, prefix);

const COORDINATOR = numberFor(1, 0);
const ES = numberFor(1, 1); // on SMS
const AY = numberFor(1, 2); // on WhatsApp
const QU = numberFor(1, 3); // on WhatsApp
const TEXT = {
  es: 'Reunión del grupo mañana a las 10:00 en la sede.',
  ay: 'Qharürux 10:00 horasanakaw tantachäwi utjani.',
  qu: 'Paqarin 10:00 horasta huñunakuy kanqa.',
};

const bodiesTo = (address: string) => fake.messages.filter((m) => m.to === address).map((m) => m.body);

describe('a broadcast to a group', () => {
  let groupId = '';
  const learner = (from: string) => new Learner(from, injectTransport(app));

  it('reaches each member once, in their own language, spelled for their channel', async () => {
    expect((await api.registerCoordinator(COORDINATOR, 'Rosa')).statusCode).toBe(201);
    const created = await api.createGroup({
      name: 'Mercado Rodríguez',
      locale: 'es',
      coordinator: COORDINATOR,
    });
    const { id, code } = created.json<{ id: string; code: string }>();
    groupId = id;
    // Each learner chooses a language (1 es, 2 ay, 3 qu), then joins with the code.
    for (const [from, choice] of [
      [ES, '1'],
      [`whatsapp:${AY}`, '2'],
      [`whatsapp:${QU}`, '3'],
    ] as const) {
      await learner(from).sendAll('hola', choice, `UNIRME ${code}`);
    }
    await waitFor("the coordinator's join notices", () => bodiesTo(COORDINATOR).length === 3);
    fake.reset();

    const reply = await api.create({ target: { groups: [groupId] }, text: TEXT });
    expect(reply).toMatchObject({ targeted: 3, fallbacks: [], notes: [] });
    expect(reply.id).toMatch(/^[0-9a-z]{12}$/);
    const status = await api.settled(reply.id);
    expect(status.counts).toEqual({ targeted: 3, queued: 3, sent: 3, delivered: 0, failed: 0, skipped: 0 });
    expect(status.occurrences).toMatchObject([{ occurrence: 'once', fannedOut: true, pending: 0 }]);

    expect(bodiesTo(ES)).toEqual([spellForChannel(TEXT.es, 'es', 'sms', realContent().spelling)]);
    expect(bodiesTo(ES)[0]).toContain('Reunion'); // SMS drops the accent to stay in GSM-7
    expect(bodiesTo(`whatsapp:${AY}`)).toEqual([TEXT.ay]);
    expect(bodiesTo(`whatsapp:${QU}`)).toEqual([TEXT.qu]);
    expect(fake.messages).toHaveLength(3);
  });

  it('lets a learner reply and go on with their lessons as usual', async () => {
    const { course, translator } = realContent();
    const first = course.sections[0]!.pages[0]![0]!;
    const turn = await learner(ES).send('1');
    expect(turn.status).toBe(200);
    const title = spellForChannel(
      translator.t('es', qualifyKey(first.id, first.title)),
      'es',
      'sms',
      realContent().spelling,
    );
    expect(turn.text).toContain(title);
  });

  it('sends the Spanish text where a language has none, and says so', async () => {
    fake.reset();
    const reply = await api.create({ target: { groups: [groupId] }, text: { es: TEXT.es } });
    expect(reply.fallbacks).toEqual(['ay', 'qu']);
    expect(reply.notes.join(' ')).toMatch(/Aymara.*Spanish/);
    await api.settled(reply.id);
    expect(bodiesTo(`whatsapp:${AY}`)).toEqual([TEXT.es]);
    expect(bodiesTo(`whatsapp:${QU}`)).toEqual([TEXT.es]);
  });

  it('skips and counts a learner who sent STOP', async () => {
    await learner(`whatsapp:${QU}`).sendAll('STOP');
    fake.reset();
    const reply = await api.create({ target: { groups: [groupId] }, text: TEXT });
    const status = await api.settled(reply.id);
    expect(status.counts).toMatchObject({ targeted: 3, queued: 2, sent: 2, skipped: 1 });
    expect(status.skippedReasons).toEqual({ opted_out: 1 });
    expect(bodiesTo(`whatsapp:${QU}`)).toEqual([]);
    expect(fake.messages).toHaveLength(2);
  });
});

describe('WhatsApp learners outside the 24-hour window', () => {
  const OLD = Date.now() - 3 * 24 * 60 * 60 * 1000;
  const A = numberFor(1, 11);
  const B = numberFor(1, 12);

  beforeAll(async () => {
    for (const phone of [A, B])
      await saveLearner(redis, prefix, { phone, channel: 'whatsapp', lastInboundAt: OLD });
  });

  it('are skipped without a template, and the reason is counted', async () => {
    fake.reset();
    const reply = await api.create({ target: { inactiveDays: 2 }, text: { es: 'Te extrañamos' } });
    expect(reply.targeted).toBe(2);
    const status = await api.settled(reply.id);
    expect(status.counts).toMatchObject({ targeted: 2, queued: 2, sent: 0, skipped: 2 });
    expect(status.skippedReasons).toEqual({ outside_window: 2 });
    expect(fake.messages).toHaveLength(0);
  });

  it('get the approved template when there is one', async () => {
    fake.reset();
    const template = { contentSid: `HX${'a1'.repeat(16)}`, variables: { '1': 'Rosa' } };
    const reply = await api.create({ target: { inactiveDays: 2 }, text: { es: 'Te extrañamos' }, template });
    const status = await api.settled(reply.id);
    expect(status.counts).toMatchObject({ targeted: 2, sent: 2, skipped: 0 });
    const sent = fake.requests.filter((r) => r.method === 'POST' && r.status === 201);
    expect(sent.map((r) => r.params.To).sort()).toEqual([`whatsapp:${A}`, `whatsapp:${B}`]);
    for (const request of sent) {
      expect(request.params.ContentSid).toBe(template.contentSid);
      expect(JSON.parse(request.params.ContentVariables ?? '{}')).toEqual({ '1': 'Rosa' });
      expect(request.params.Body).toBeUndefined();
    }
  });
});

describe('filters and deleted learners', () => {
  it('targets a language, and learners who have not finished a lesson', async () => {
    const lesson = realContent().course.lessons[0]!.id;
    const done = numberFor(1, 21);
    const notDone = numberFor(1, 22);
    await saveLearner(redis, prefix, { phone: done, lang: 'qu', done: { [lesson]: [2, 3] } });
    await saveLearner(redis, prefix, { phone: notDone, lang: 'qu' });
    fake.reset();
    const byLocale = await api.create({ target: { locale: 'qu' }, text: { es: 'hola', qu: 'allillanchu' } });
    // QU (opted out) speaks Quechua too: targeted, then skipped.
    expect(byLocale.targeted).toBe(3);
    await api.settled(byLocale.id);
    expect(fake.messages.map((m) => m.to).sort()).toEqual([done, notDone].sort());

    fake.reset();
    const reply = await api.create({ target: { notFinished: lesson }, text: { es: 'Termina la lección 1' } });
    await api.settled(reply.id);
    expect(fake.messages.map((m) => m.to)).toContain(notDone);
    expect(fake.messages.map((m) => m.to)).not.toContain(done);
  });

  it('skips and counts a learner whose data is gone', async () => {
    // A learner still listed in the index whose session was deleted meanwhile.
    await redis.sadd(new Keyspace(prefix).learnerIndex('gone-learner-id'), 'gone-learner-id');
    fake.reset();
    const reply = await api.create({ target: { all: true }, text: { es: 'Aviso para todos' } });
    const status = await api.settled(reply.id);
    expect(status.skippedReasons.deleted).toBe(1);
    expect(status.counts.targeted).toBe(reply.targeted);
    const recipients = fake.messages.map((m) => m.to);
    expect(recipients.length).toBeGreaterThan(0);
    expect(new Set(recipients).size).toBe(recipients.length);
    expect(status.counts.sent).toBe(recipients.length);
  });
});
