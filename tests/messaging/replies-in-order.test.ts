// A turn's replies through the outbound sender (WhatsApp buttons): ahead of every message already
// waiting in the lane, in order (each once the one before it is over), with a picture where
// one goes, and the buttons as a Content template with their body.
import { afterEach, expect, it } from 'vitest';
import type { OutboundSender } from '../../src/messaging/outbound.js';
import { useFakeTwilioPlus } from '../support/fake-twilio-plus.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { TEST_TWILIO } from '../support/twilio-signing.js';
import { finalOutcome, phoneN, saveLearner, testSender } from './helpers.js';

const t = useTestRedis();
const twilio = await useFakeTwilioPlus();
let sender: OutboundSender | undefined;
afterEach(() => sender?.close());

it('sends a reply ahead of a waiting broadcast, its bubbles in order, the buttons last', async () => {
  // One worker slot: the order Twilio sees is the order the lane hands the jobs out.
  sender = testSender(t, twilio.url, { concurrency: { sms: 1, whatsapp: 1 } });
  const learner = `whatsapp:${phoneN(70)}`;
  const others = Array.from({ length: 20 }, (_, i) => `whatsapp:${phoneN(100 + i)}`);
  for (const to of [learner, ...others]) await saveLearner(t, { phone: to.slice(9), channel: 'whatsapp' });
  // A broadcast waits in the lane before the workers start...
  await sender.sendMany(others.map((to) => ({ dedupeKey: 'broadcast:order', to, body: 'Taller el lunes' })));
  // ...then a learner's turn: text, a picture with its caption, then buttons.
  await sender.sendInOrder([
    { dedupeKey: 'reply:SMx:0', to: learner, body: 'Primero' },
    {
      dedupeKey: 'reply:SMx:1',
      to: learner,
      body: 'Con dibujo',
      mediaUrl: 'https://ayni.test/media/es/a/b.png',
    },
    {
      dedupeKey: 'reply:SMx:2',
      to: learner,
      body: '¿Sí?\n1) Sí\n2) No',
      buttons: { contentSid: `HX${'a'.repeat(32)}`, variables: { '1': '¿Sí?\n1) Sí\n2) No' } },
    },
  ]);
  sender.start();
  const created = await waitFor('every message sent', () => {
    const posts = twilio.fake.requests.filter((r) => r.method === 'POST' && r.status === 201);
    return posts.length === 23 && posts;
  });
  const mine = created.flatMap((r, i) => (r.params.To === learner ? [{ at: i, p: r.params }] : []));
  expect(mine.map(({ p }) => p.Body ?? p.ContentSid)).toEqual([
    'Primero',
    'Con dibujo',
    `HX${'a'.repeat(32)}`,
  ]);
  expect(mine[1]?.p.MediaUrl).toBe('https://ayni.test/media/es/a/b.png');
  expect(JSON.parse(mine[2]?.p.ContentVariables ?? '{}')).toEqual({ '1': '¿Sí?\n1) Sí\n2) No' });
  expect(mine[2]?.p.Body).toBeUndefined(); // the buttons, not the text
  // Ahead of the broadcast: the reply's first message went first of all, and the rest of its
  // bubbles before most of the broadcast (each next bubble is queued once the one before is sent).
  expect(mine[0]?.at).toBe(0);
  expect(mine[2]?.at).toBeLessThan(10);
});

it('sends buttons only inside the 24-hour window: outside it, their numbered text by SMS, or nothing', async () => {
  sender = testSender(t, twilio.url);
  sender.start();
  const dayAgo = Date.now() - 25 * 60 * 60 * 1000;
  const [late, lateNoSms] = [phoneN(80), phoneN(81)];
  for (const phone of [late, lateNoSms])
    await saveLearner(t, { phone, channel: 'whatsapp', lastInboundAt: dayAgo });
  const buttons = { contentSid: `HX${'b'.repeat(32)}`, variables: { '1': 'Menú' } };
  await sender.send({
    dedupeKey: 'late:1',
    to: `whatsapp:${late}`,
    body: 'Menú:\n1 Aprender',
    buttons,
    smsFallback: true,
  });
  await sender.send({ dedupeKey: 'late:2', to: `whatsapp:${lateNoSms}`, body: 'Menú:\n1 Aprender', buttons });
  expect(await finalOutcome(sender, 'late:1', late)).toBe('sent');
  expect(await finalOutcome(sender, 'late:2', lateNoSms)).toBe('skipped:outside_window');
  const sent = twilio.fake.requests.filter(
    (r) => r.method === 'POST' && r.status === 201 && r.params.To === late,
  );
  expect(sent.map((r) => r.params)).toEqual([
    expect.objectContaining({ From: TEST_TWILIO.smsFrom, Body: 'Menú:\n1 Aprender' }),
  ]);
  expect(twilio.fake.requests.some((r) => r.params.ContentSid === buttons.contentSid)).toBe(false);
});
