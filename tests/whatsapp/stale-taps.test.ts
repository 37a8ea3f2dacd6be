// WhatsApp keeps the buttons of old messages tappable. A tap names the message its button was on
// (`<interactive name>.<option>`), and only a tap on the message the learner is at now answers:
// any other is re-prompted in the learner's language with the current question, and the learner
// stays put. Signed webhooks into the real app, buttons synced to the fake Twilio's Content API,
// replies through the real outbound sender (BullMQ) and twilio client.
import { createdMessages, useSyncedWhatsAppApp } from './synced-app.js';
import { describe, expect, it } from 'vitest';
import { describeState } from '../../src/conversation/describe-state.js';
import { tapIdOf } from '../../src/replies/whatsapp-content.js';
import { realContent } from '../support/content.js';
import { waitFor } from '../support/wait-for.js';
import { inboundParams, randomSid, signedTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';
import { bolivianNumber, parseTwiml, readSession, say, WEBHOOK_URL } from '../http/helpers.js';

const { fake, db, synced, send } = await useSyncedWhatsAppApp('stale-taps');
const course = realContent().course;
const firstLesson = course.sections[0]!.flows[0]!;
const listPage = `ayni_es_lessons_${course.sections[0]!.id}_1`;

/** The messages the fake Twilio sent to `to`, in order: a body, or an interactive message's name. */
function sentTo(to: string) {
  return createdMessages(fake)
    .filter((r) => r.params.To === to)
    .map((r) => ({
      body: r.params.Body,
      interactive: Object.entries(synced.sids).find(([, sid]) => sid === r.params.ContentSid)?.[0],
    }));
}

/**
 * Posts one signed webhook and, as a learner taps only what has arrived, waits for the turn to
 * reach the learner: as TwiML text, or through the sender up to its buttons or list.
 */
async function post(to: string, body: string, extra: Record<string, string> = {}) {
  const before = sentTo(to).length;
  const params = { ...inboundParams({ from: to, body, messageSid: randomSid() }), ...extra };
  const reply = await send(signedTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, params));
  expect(reply.status).toBe(200);
  const twiml = parseTwiml(reply.body);
  if (twiml.length > 0) return { twiml, sent: [] };
  const sent = await waitFor(
    `a turn ending in buttons or a list to ${to}`,
    () => {
      const turn = sentTo(to).slice(before);
      const end = turn.findIndex((m) => m.interactive !== undefined);
      return end >= 0 && turn.slice(0, end + 1);
    },
    10_000,
    () => JSON.stringify(sentTo(to)),
  );
  return { twiml, sent };
}

const sessionOf = (to: string) => readSession(db.redis, db.prefix, to.replace('whatsapp:', ''));
const stateOf = async (to: string) => describeState((await sessionOf(to)).snapshot.value);
/** How many tries the learner has had at the current question. */
const triesOf = async (to: string) => (await sessionOf(to)).snapshot.context.tries;
const staleNotice = say('es', 'whatsapp', 'common:stale_tap');

/** A learner at the first page of the first section's lessons, in Spanish. */
async function atLessonList(): Promise<string> {
  const to = `whatsapp:${bolivianNumber()}`;
  await post(to, 'hola');
  await post(to, 'Español', { ButtonPayload: tapIdOf('ayni_es_language', '1'), ButtonText: 'Español' });
  const { sent } = await post(to, '1');
  expect(sent.at(-1)?.interactive).toBe(listPage);
  return to;
}

describe('a tapped button of an earlier WhatsApp message', () => {
  it('is not read: the learner hears so, gets the current list again and stays at it', async () => {
    const to = await atLessonList();
    const before = await stateOf(to);
    // The first message's "Runa simi" button (option 3): it used to start lesson 3.
    const { sent } = await post(to, 'Runa simi', {
      ButtonPayload: tapIdOf('ayni_es_language', '3'),
      ButtonText: 'Runa simi',
    });
    expect(sent).toEqual([
      { body: staleNotice, interactive: undefined },
      { body: undefined, interactive: listPage },
    ]);
    expect(await stateOf(to)).toBe(before);
    expect(before).toBe(`list/${course.sections[0]!.id}/p1`);
  });

  it('is answered when it is on the current message', async () => {
    const to = await atLessonList();
    await post(to, 'x', { ListId: tapIdOf(listPage, '1'), ListTitle: 'x' });
    expect(await stateOf(to)).toMatch(new RegExp(`^flow/${firstLesson.id}/`));
  });

  it('does not answer the question a learner is at during a lesson', async () => {
    const to = await atLessonList();
    let turn = await post(to, 'x', { ListId: tapIdOf(listPage, '1'), ListTitle: 'x' });
    for (let i = 0; turn.twiml.length > 0 && i < 15; i++) turn = await post(to, '1');
    const question = turn.sent.at(-1)?.interactive;
    expect(question).toMatch(new RegExp(`^ayni_es_q_${firstLesson.id}_`));
    const at = await stateOf(to);
    const tries = await triesOf(to);
    // Another question's button, the lesson list's, and a bare number from resources synced before
    // ids named their message: none of them answers.
    const stale: Record<string, string>[] = [
      { ButtonPayload: tapIdOf('ayni_es_q_seven-principles_q-vote', '1') },
      { ListId: tapIdOf(listPage, '2') },
      { ButtonPayload: '2' },
    ];
    for (const extra of stale) {
      const { sent } = await post(to, '1', extra);
      expect(sent, JSON.stringify(extra)).toEqual([
        { body: staleNotice, interactive: undefined },
        { body: undefined, interactive: question },
      ]);
      expect(await stateOf(to)).toBe(at);
      expect(await triesOf(to)).toBe(tries);
    }
    // The current question's button answers it: right, wrong or revealed, never the notice.
    const answered = await post(to, '1', { ButtonPayload: tapIdOf(question!, '1') });
    const said = [...answered.twiml, ...answered.sent.map((m) => m.body ?? '')].join('\n');
    expect(said).not.toContain(staleNotice);
    expect((await triesOf(to)) !== tries || (await stateOf(to)) !== at).toBe(true);
  });
});
