// Nudges on a fake clock (the app's clock; BullMQ and the fake Twilio keep real time): a day's
// delay, quiet hours 20-8 in America/La_Paz (UTC-4, no summer time), and the WhatsApp window:
// a nudge a day after the last message is outside it, so the approved template goes, and SMS
// learners get the text.
import { describe, expect, it } from 'vitest';
import { qualifyKey } from '../../src/flows/course.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { intoFirstLesson, nextNudgeOf, nudgeNumber, nudgesTo, stepNumberOf, useNudgeApp } from './helpers.js';

const TEMPLATE = 'HX0123456789abcdef0123456789abcdef';
let offset = 0;
/** Sets the app's clock to a La Paz local time, from which it runs on. */
const setLocalTime = (iso: string) => {
  offset = Date.parse(`${iso}-04:00`) - Date.now();
};

const { url, prefix, redis } = useTestRedis();
setLocalTime('2026-03-10T10:00:00');
const { app, fake } = await useNudgeApp(
  url,
  prefix,
  {
    NUDGE_AFTER: '1d',
    NUDGE_QUIET_HOURS: '20-8',
    TZ: 'America/La_Paz',
    NUDGE_TEMPLATE_SID: TEMPLATE,
    NUDGE_POLL_MS: '200',
  },
  () => Date.now() + offset,
);
const learner = (from: string) => new Learner(from, injectTransport(app));

describe('nudges on the clock', () => {
  const whatsapp = nudgeNumber(101);
  const sms = nudgeNumber(102);
  const evening = nudgeNumber(103);

  it('waits out the quiet hours, and uses the template outside the WhatsApp window', async () => {
    // Day 1, 10:00: two learners go quiet; at 21:00 a third.
    await intoFirstLesson(learner(`whatsapp:${whatsapp}`));
    await intoFirstLesson(learner(sms));
    setLocalTime('2026-03-10T21:00:00');
    await intoFirstLesson(learner(`whatsapp:${evening}`));
    // Due a day later, 21:00, inside the quiet hours: moved to 08:00 the day after.
    expect(await nextNudgeOf(redis, prefix, `${evening}`)).toBe(Date.parse('2026-03-12T08:00:00-04:00'));
    expect(await nextNudgeOf(redis, prefix, whatsapp)).toBeGreaterThanOrEqual(
      Date.parse('2026-03-11T10:00:00-04:00'),
    );

    // Day 2, 10:00:01: the first two are due.
    setLocalTime('2026-03-11T10:00:01');
    const [template] = await waitFor(
      'the WhatsApp nudge',
      () => nudgesTo(fake, `whatsapp:${whatsapp}`).length === 1 && nudgesTo(fake, `whatsapp:${whatsapp}`),
    );
    const lesson = app.content.course.lessons[0]!;
    // The step each stands on: on WhatsApp reading ahead may have gone past the first.
    const [whatsappStep, smsStep] = [
      await stepNumberOf(redis, prefix, whatsapp, lesson),
      await stepNumberOf(redis, prefix, sms, lesson),
    ];
    const title = app.content.translator.t('es', qualifyKey(lesson.id, lesson.title));
    expect(template!.params.ContentSid).toBe(TEMPLATE);
    expect(template!.params.Body).toBeUndefined();
    expect(JSON.parse(template!.params.ContentVariables ?? '{}')).toEqual({
      '1': title,
      '2': String(whatsappStep),
      '3': String(lesson.steps.length),
    });
    // SMS spelling: straight quotes for «», which would cost the GSM-7 alphabet.
    const [text] = await waitFor(
      'the SMS nudge',
      () => nudgesTo(fake, sms).length === 1 && nudgesTo(fake, sms),
    );
    expect(text!.body).toMatch(
      new RegExp(`^Te quedaste en "${title}", paso ${smsStep} de ${lesson.steps.length}\\.`),
    );

    // Day 2, 21:30: the evening learner's day is over, but it is quiet time: nothing found.
    setLocalTime('2026-03-11T21:30:00');
    const round = await app.nudges.worker.pollOnce();
    expect(round.queued).toBe(0);
    expect(nudgesTo(fake, `whatsapp:${evening}`)).toEqual([]);

    // Day 3, 08:00: the morning.
    setLocalTime('2026-03-12T08:00:00');
    const [morning] = await waitFor(
      'the morning nudge',
      () => nudgesTo(fake, `whatsapp:${evening}`).length === 1 && nudgesTo(fake, `whatsapp:${evening}`),
    );
    expect(morning!.params.ContentSid).toBe(TEMPLATE);
    expect(await nextNudgeOf(redis, prefix, evening)).toBeNull();
  });
});
