// While a learner's group runs a quiz, a typed number answers the quiz question, but a tapped
// button never does: quiz questions carry no buttons, so a tap is on the learner's own lesson
// messages. Signed webhooks into the real app, the quiz started by a coordinator by text.
import { describe, expect, it } from 'vitest';
import { qualifyKey } from '../../src/flows/course.js';
import { tapIdOf } from '../../src/replies/whatsapp-content.js';
import { realContent } from '../support/content.js';
import { useFakeTwilio } from '../support/fake-twilio.js';
import { useTestRedis } from '../support/test-redis.js';
import { fakeTwilioEnv, signedTwilioRequest, TEST_TWILIO } from '../support/twilio-signing.js';
import { injectTransport, Learner, parseTwiml, useTestApp, WEBHOOK_URL } from '../http/helpers.js';

const ADMIN_TOKEN = 'admin-token-of-at-least-32-characters';
const { url, prefix } = useTestRedis();
const fake = await useFakeTwilio();
const app = await useTestApp(url, prefix, {
  // The quiz question must stay open for the whole test: no timer closes it.
  env: { ADMIN_TOKEN, ...fakeTwilioEnv(fake.url), QUIZ_TIMEOUT_SECONDS: '600' },
});
const transport = injectTransport(app);
const t = (key: string, vars?: Record<string, string | number>) =>
  realContent().translator.t('es', key, vars);

/** A tap: the signed webhook of a WhatsApp button, its label as the Body. */
async function tap(learner: Learner, id: string): Promise<string> {
  const params = { ...learner.params('Think.COOP'), ButtonPayload: id, ButtonText: 'Think.COOP' };
  const reply = await transport(signedTwilioRequest(TEST_TWILIO.authToken, WEBHOOK_URL, params));
  expect(reply.status).toBe(200);
  return parseTwiml(reply.body).join('\n');
}

describe('a tapped button while the group runs a quiz', () => {
  it('answers the learner’s own message, never the quiz question; a typed number does', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/coordinators',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      payload: { phone: '+59176100000', name: 'Rosa' },
    });
    expect(created.statusCode).toBe(201);
    const coordinator = new Learner('whatsapp:+59176100000', transport);
    await coordinator.sendAll('hola', '1');
    const group = await coordinator.send('GRUPO Feria');
    const code = /Código: ([A-Z0-9]{6})/.exec(group.text)?.[1] ?? '';
    const member = new Learner('whatsapp:+59176100001', transport);
    await member.sendAll('hola', '1', `UNIRME ${code}`);
    const started = await coordinator.send(`QUIZ ${code} 1`);
    expect(started.text).toContain('Feria');

    // The menu is the member's current message: its first item opens the first section's list.
    const tapped = await tap(member, tapIdOf('ayni_es_menu', '1'));
    expect(tapped).not.toContain(t('common:quiz_received'));
    const firstLesson = realContent().course.sections[0]!.flows[0]!;
    expect(tapped).toContain(t(qualifyKey(firstLesson.id, firstLesson.title)));
    // The language buttons are long gone: not read, and not a quiz answer either.
    const stale = await tap(member, tapIdOf('ayni_es_language', '1'));
    expect(stale).toContain(t('common:stale_tap'));
    // Typing still answers the quiz.
    expect((await member.send('1')).text).toBe(t('common:quiz_received'));
  });
});
