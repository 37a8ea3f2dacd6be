// WhatsApp buttons and lists end to end: signed webhooks into the real app, the real course,
// `whatsapp:sync` against the fake Twilio's Content API, and the real outbound sender (BullMQ)
// sending through the real twilio client to the fake Twilio. A turn that ends on a choice is
// answered with empty TwiML and sent in order: text bubbles, then the interactive message.
import { createdMessages, useSyncedWhatsAppApp } from './synced-app.js';
import { describe, expect, it } from 'vitest';
import { MAX_WHATSAPP_BUBBLES } from '../../src/conversation/steps/read-ahead.js';
import { tapIdOf } from '../../src/replies/whatsapp-content.js';
import { realContent } from '../support/content.js';
import { waitFor } from '../support/wait-for.js';
import { inboundParams, randomSid, signedTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';
import { bolivianNumber, parseTwiml, say, WEBHOOK_URL } from '../http/helpers.js';

const { fake, app, synced, send } = await useSyncedWhatsAppApp('interactive');

/** What the fake Twilio was asked to send, in order: a body, or a ContentSid and its variables. */
function sent() {
  return createdMessages(fake).map((r) => ({
    to: r.params.To,
    body: r.params.Body,
    contentSid: r.params.ContentSid,
    variables: r.params.ContentVariables
      ? (JSON.parse(r.params.ContentVariables) as Record<string, string>)
      : undefined,
  }));
}

/**
 * Every request the fake Twilio had for `to`, whatever its route or answer: counted per learner,
 * because an earlier test's turn may still be on its way through the sender.
 */
const requestsFor = (to: string) => fake.requests.filter((r) => r.params.To === to);

/** Waits until `count` messages went to `to`, and returns them in order. */
async function sentTo(to: string, count: number) {
  return waitFor(
    `${count} messages to ${to}`,
    () => {
      const mine = sent().filter((m) => m.to === to);
      return mine.length >= count && mine;
    },
    10_000,
    () => JSON.stringify(sent().filter((m) => m.to === to)),
  );
}

/**
 * Waits for the next turn sent through the sender to `to`, after its first `after` messages: the
 * sender sends a turn in order, text bubbles first, so it is whole once its interactive message
 * (buttons or a list) has gone. Returns the turn's messages, that one last.
 */
async function turnSentTo(to: string, after: number) {
  return waitFor(
    `a turn ending in buttons or a list to ${to}`,
    () => {
      const turn = sent()
        .filter((m) => m.to === to)
        .slice(after);
      const end = turn.findIndex((m) => m.contentSid !== undefined);
      return end >= 0 && turn.slice(0, end + 1);
    },
    10_000,
    () => JSON.stringify(sent().filter((m) => m.to === to)),
  );
}

const nameOf = (sid: string | undefined) =>
  Object.entries(synced.sids).find(([, each]) => each === sid)?.[0] ?? '';

/** Sends one signed webhook with extra fields (a tapped button, a list choice). */
async function post(from: string, body: string, extra: Record<string, string> = {}) {
  const params = { ...inboundParams({ from, body, messageSid: randomSid() }), ...extra };
  const reply = await send(signedTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, params));
  return { ...reply, messages: reply.status === 200 ? parseTwiml(reply.body) : [] };
}

const es = (key: string, vars?: Record<string, string | number>) => say('es', 'whatsapp', key, vars);

describe('WhatsApp with synced buttons and lists', () => {
  it('greets with the welcome text, then the language buttons, through the sender, in order', async () => {
    const phone = bolivianNumber();
    const before = sent().length;
    const reply = await post(`whatsapp:${phone}`, 'hola');
    expect(reply.status).toBe(200);
    expect(reply.messages).toEqual([]); // empty TwiML: the sender has it
    await fake.waitForMessages(before + 2);
    const [welcome, choice] = sent().slice(before);
    expect(welcome?.to).toBe(`whatsapp:${phone}`);
    expect(welcome?.body).toContain('Ayni');
    expect(choice).toEqual({
      to: `whatsapp:${phone}`,
      body: undefined,
      contentSid: synced.sids.ayni_es_language,
      variables: { '1': es('common:choose_language') },
    });
  });

  it('reads a tapped button by its id, never its label, and answers with the menu list', async () => {
    const to = `whatsapp:${bolivianNumber()}`;
    await post(to, 'hola');
    await sentTo(to, 2);
    // The label says Runa simi, the id says option 1 (Español): the id wins.
    await post(to, 'Runa simi', { ButtonPayload: tapIdOf('ayni_es_language', '1'), ButtonText: 'Runa simi' });
    const [, , menu] = await sentTo(to, 3);
    expect(menu).toMatchObject({
      contentSid: synced.sids.ayni_es_menu,
      variables: { '1': es('common:menu') },
    });
  });

  it('reads a list choice by its id, and sends a question as quick-reply buttons', async () => {
    const to = `whatsapp:${bolivianNumber()}`;
    // A learner taps a button once it has arrived: each turn waits for the one before it.
    await post(to, 'hola');
    await sentTo(to, 2);
    await post(to, 'Español', { ButtonPayload: tapIdOf('ayni_es_language', '1'), ButtonText: 'Español' });
    await sentTo(to, 3);
    await post(to, 'Think.COOP', {
      ListId: tapIdOf('ayni_es_menu', '1'),
      ListTitle: 'renamed in a later release',
    });
    expect((await sentTo(to, 4)).at(-1)?.contentSid).toBe(synced.sids['ayni_es_lessons_think-coop_1']);
    // The first lesson, by id; its reading steps come as TwiML text, as before, and are answered
    // by typing, until a question's turn answers empty TwiML and comes as buttons. Reading ahead
    // may bring the question in the same turn as the steps before it: they go first, as text.
    const firstLesson = tapIdOf('ayni_es_lessons_think-coop_1', '1');
    let reply = await post(to, 'anything', { ListId: firstLesson, ListTitle: 'anything' });
    for (let turn = 0; reply.messages.length > 0 && turn < 15; turn++) reply = await post(to, '1');
    expect(reply.messages).toEqual([]);
    const asked = await turnSentTo(to, 4);
    const question = asked.at(-1);
    expect(nameOf(question?.contentSid)).toMatch(/^ayni_es_q_working-together_/);
    expect(question?.variables?.['1']).toMatch(/\n1\) /); // the body keeps the numbered options
    for (const bubble of asked.slice(0, -1)) expect(bubble).toMatchObject({ contentSid: undefined });
    expect(asked.length).toBeLessThanOrEqual(MAX_WHATSAPP_BUBBLES);
    // The lesson reads before it asks, so the question was reached by reading ahead.
    const lesson = realContent().course.sections[0]!.flows[0]!;
    expect(lesson.steps[lesson.steps.findIndex((s) => s.type === 'question') - 1]?.type).toBe('message');
    expect(asked.length).toBeGreaterThan(1);
  });

  it('reads the typed text when a button id is not one of Ayni’s, and refuses an oversized one', async () => {
    const to = `whatsapp:${bolivianNumber()}`;
    await post(to, 'hola');
    await sentTo(to, 2);
    // A button of some other template (e.g. an approved broadcast's): its text is what counts.
    await post(to, '2', { ButtonPayload: 'broadcast-reply-yes', ButtonText: 'Sí' });
    // Aymara it is: the menu list ends the turn (after the notice that its texts are drafts).
    const menu = (await turnSentTo(to, 2)).at(-1);
    expect(menu).toMatchObject({
      contentSid: synced.sids.ayni_ay_menu,
      variables: { '1': say('ay', 'whatsapp', 'common:menu') },
    });
    const tooLong = await post(to, '1', { ListId: 'x'.repeat(300) });
    expect(tooLong.status).toBe(400);
  });

  it('answers SMS as TwiML, numbered text, and sends nothing through the sender', async () => {
    const to = bolivianNumber();
    const reply = await post(to, 'hola');
    expect(reply.messages.join('\n')).toContain(es('common:choose_language').split('\n')[0]!);
    expect(requestsFor(to)).toEqual([]);
  });

  it('falls back to numbered text as TwiML when the sync has not run', async () => {
    const sids = await app.stores.whatsappContent.all();
    await app.stores.whatsappContent.replaceAll({});
    try {
      const to = `whatsapp:${bolivianNumber()}`;
      const reply = await post(to, 'hola');
      expect(reply.messages.at(-1)).toBe(es('common:choose_language'));
      expect(requestsFor(to)).toEqual([]);
    } finally {
      await app.stores.whatsappContent.replaceAll(sids);
    }
  });
});
