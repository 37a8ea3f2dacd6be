// Learners help with the translations by text: the first time they choose Aymara or Quechua they
// are told the texts are new and how to send CORREGIR; CORREGIR <text> is kept against the text
// they last received, counted per text without who sent it, capped per learner per day, and
// leaves them on the step they were on. Signed webhooks on the real app, course and Redis.
import { describe, expect, it } from 'vitest';
import { SUGGESTIONS_PER_DAY } from '../../src/store/suggestion-store.js';
import { realContent } from '../support/content.js';
import { FakeClock } from '../support/engine.js';
import { lastLessonText } from '../support/last-text.js';
import { useTestRedis } from '../support/test-redis.js';
import { bolivianNumber, injectTransport, Learner, readSession, say, useTestApp } from './helpers.js';

const { redis, url, prefix } = useTestRedis();
const clock = new FakeClock(Date.parse('2026-03-02T10:00:00-04:00'));
const app = await useTestApp(url, prefix, { clock: clock.read });
const learner = () => new Learner(`whatsapp:${bolivianNumber()}`, injectTransport(app));
const firstLesson = realContent().course.sections[0]!.flows[0]!;

/**
 * A learner in Aymara who has just started the first lesson, and the lesson's text they last
 * received (on WhatsApp, reading ahead may have sent several steps), and the one after it.
 */
async function onFirstStep(): Promise<{ someone: Learner; last: string; following: string }> {
  const someone = learner();
  const [started] = (await someone.sendAll('hola', '2', '1', '1')).slice(-1);
  const last = lastLessonText(started!.messages, 'ay', 'whatsapp', firstLesson.id);
  expect((await readSession(redis, prefix, someone.phone)).lastText).toEqual({ key: last.key, lang: 'ay' });
  const following = `${firstLesson.id}:${firstLesson.steps[last.index + 1]!.text}`;
  return { someone, last: last.key, following };
}

describe('the first time a learner chooses Aymara or Quechua', () => {
  it('tells them, in that language and one line of Spanish, that they can send CORREGIR; once per language', async () => {
    const someone = learner();
    await someone.send('hola');
    const chose = await someone.send('2');
    expect(chose.messages[0]).toBe(say('ay', 'whatsapp', 'common:draft_notice'));
    expect(chose.messages[0]).toContain('\n(ES) Textos nuevos: si algo suena mal, envía CORREGIR');
    expect(chose.text).toContain(say('ay', 'whatsapp', 'common:menu'));

    await someone.send('IDIOMA');
    expect((await someone.send('3')).messages[0]).toBe(say('qu', 'whatsapp', 'common:draft_notice'));
    await someone.send('IDIOMA');
    const again = await someone.send('2');
    expect(again.text).not.toContain('CORREGIR');
    expect(again.text).toContain(say('ay', 'whatsapp', 'common:menu'));
  });

  it('says nothing of the kind to a learner who chooses Spanish', async () => {
    const someone = learner();
    await someone.send('hola');
    expect((await someone.send('1')).text).not.toContain('CORREGIR');
  });
});

describe('CORREGIR <text>', () => {
  it('keeps the suggestion against the text last received, thanks, and leaves the learner where they were', async () => {
    const { someone, last, following } = await onFirstStep();
    const before = await readSession(redis, prefix, someone.phone);
    const reply = await someone.send('corregir   Cooperativaxa\u200b mä empresawa,\n socionakan  ');
    expect(reply.messages).toEqual([say('ay', 'whatsapp', 'common:suggest_thanks')]);
    const after = await readSession(redis, prefix, someone.phone);
    expect(after.snapshot).toEqual(before.snapshot);
    expect(after.lastText).toEqual(before.lastText);

    const kept = await app.stores.suggestions.forLanguage('ay');
    expect(kept.get(last)).toEqual([{ text: 'Cooperativaxa mä empresawa, socionakan', count: 1 }]);
    // The next answer moves on from the step the learner was on, as if CORREGIR had not been sent.
    const next = await someone.send('1');
    expect(next.text).toContain(say('ay', 'whatsapp', following));
  });

  it('counts a text’s suggestions per learner: a repeat once, another learner’s again; most suggested first', async () => {
    const { someone: first, last } = await onFirstStep();
    const { someone: second } = await onFirstStep();
    await first.sendAll('CORREGIR Uka sutix askiwa', 'CORREGIR Uka sutix askiwa', 'CORREGIR Yaqha');
    await second.send('ASKICHAÑA Uka sutix askiwa');
    const kept = (await app.stores.suggestions.forLanguage('ay')).get(last) ?? [];
    const ours = kept.filter((s) => ['Uka sutix askiwa', 'Yaqha'].includes(s.text));
    expect(ours).toEqual([
      { text: 'Uka sutix askiwa', count: 2 },
      { text: 'Yaqha', count: 1 },
    ]);
    expect(kept[0]).toEqual({ text: 'Uka sutix askiwa', count: 2 });
  });

  it('works with the Quechua word too, and answers how to use it when the text is missing', async () => {
    const someone = learner();
    await someone.sendAll('hola', '3');
    expect((await someone.send('CORREGIR')).messages).toEqual([say('qu', 'whatsapp', 'common:suggest_how')]);
    expect((await someone.send('Allichay Menú nisqa')).messages).toEqual([
      say('qu', 'whatsapp', 'common:suggest_thanks'),
    ]);
    expect((await app.stores.suggestions.forLanguage('qu')).get('common:menu')).toEqual([
      { text: 'Menú nisqa', count: 1 },
    ]);
  });

  it(`takes at most ${SUGGESTIONS_PER_DAY} a day from one learner, and more the next day`, async () => {
    const { someone, last } = await onFirstStep();
    for (let i = 1; i <= SUGGESTIONS_PER_DAY; i++) {
      expect((await someone.send(`CORREGIR cap ${i}`)).messages).toEqual([
        say('ay', 'whatsapp', 'common:suggest_thanks'),
      ]);
    }
    expect((await someone.send('CORREGIR one too many')).messages).toEqual([
      say('ay', 'whatsapp', 'common:suggest_capped'),
    ]);
    clock.advance(24 * 60 * 60 * 1000);
    expect((await someone.send('CORREGIR next day')).messages).toEqual([
      say('ay', 'whatsapp', 'common:suggest_thanks'),
    ]);
    const texts = ((await app.stores.suggestions.forLanguage('ay')).get(last) ?? []).map((s) => s.text);
    expect(texts).toContain('next day');
    expect(texts).not.toContain('one too many');
  });
});
