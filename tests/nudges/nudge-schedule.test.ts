// Nudges over the real app, Redis, BullMQ and the twilio client against the fake Twilio, with
// delays in seconds: each scheduled nudge once, on time (within 5 s), naming the step; writing
// again starts the schedule over; STOP, BORRAR and a finished course get none.
import { describe, expect, it } from 'vitest';
import { Keyspace } from '../../src/store/keyspace.js';
import { injectTransport, Learner } from '../http/helpers.js';
import { learnerId } from '../support/person-ids.js';
import { saveSession } from '../support/session-fixture.js';
import { useTestRedis } from '../support/test-redis.js';
import { waitFor } from '../support/wait-for.js';
import { intoFirstLesson, nextNudgeOf, nudgeNumber, nudgesTo, stepNumberOf, useNudgeApp } from './helpers.js';

const { url, prefix, redis } = useTestRedis();
const { app, fake } = await useNudgeApp(url, prefix, {
  NUDGE_AFTER: '2s,4s',
  NUDGE_QUIET_HOURS: '',
  NUDGE_POLL_MS: '200',
});
const learner = (from: string) => new Learner(from, injectTransport(app));
const lesson = app.content.course.lessons[0]!;
/** No nudge left to find for the number, and none waiting in the sender's queues. */
const noneScheduled = (phone: string) => async () => {
  if ((await nextNudgeOf(redis, prefix, phone)) !== null) return false;
  for (const lane of ['sms', 'whatsapp'] as const) {
    const counts = await app.outbound.queue(lane).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
    if (Object.values(counts).some((n) => n > 0)) return false;
  }
  return true;
};

describe('a learner who goes quiet mid-lesson', () => {
  it('gets each nudge once, within 5 s of its time, and nothing after the last', async () => {
    const phone = nudgeNumber(1);
    const ana = learner(`whatsapp:${phone}`);
    await intoFirstLesson(ana);
    const quietSince = Date.now();
    const step = await stepNumberOf(redis, prefix, phone, lesson);

    await waitFor('no nudge left to send', noneScheduled(phone), 15_000);
    const nudges = nudgesTo(fake, `whatsapp:${phone}`);
    expect(nudges).toHaveLength(2);
    const [first, second] = nudges;
    expect(first!.body).toMatch(
      new RegExp(`^Te quedaste en «.+», paso ${step} de ${lesson.steps.length}\\. Envía 1 para seguir\\.$`),
    );
    expect(second!.body).toBe(first!.body);
    // Due 2 s and 4 s after the last message (taken before the reply came back, so at most early by a turn).
    expect(first!.at - quietSince).toBeGreaterThanOrEqual(1_900);
    expect(first!.at - quietSince).toBeLessThan(2_000 + 5_000);
    expect(second!.at - quietSince).toBeGreaterThanOrEqual(3_900);
    expect(second!.at - quietSince).toBeLessThan(4_000 + 5_000);
  });

  it('starts over when the learner writes again, from the step they reached', async () => {
    const phone = nudgeNumber(2);
    const to = `whatsapp:${phone}`;
    const beto = learner(to);
    await intoFirstLesson(beto);
    const first = await stepNumberOf(redis, prefix, phone, lesson);
    await waitFor('the first nudge', () => nudgesTo(fake, to).length === 1);
    await beto.send('1');
    const reached = await stepNumberOf(redis, prefix, phone, lesson);
    expect(reached).toBeGreaterThan(first);
    await waitFor('no nudge left to send', noneScheduled(phone), 15_000);
    const bodies = nudgesTo(fake, to).map((n) => n.body);
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toMatch(`paso ${first} de`);
    expect(bodies[1]).toMatch(`paso ${reached} de`);
    expect(bodies[2]).toMatch(`paso ${reached} de`);
  });

  it('sends none after STOP or BORRAR, nor to a learner who finished the course', async () => {
    const [stop, borrar, done, control] = [3, 4, 5, 6].map(nudgeNumber) as [string, string, string, string];
    const stopper = learner(stop);
    await intoFirstLesson(stopper);
    await stopper.send('STOP');
    const eraser = learner(borrar);
    await intoFirstLesson(eraser);
    await eraser.send('BORRAR');
    expect(await nextNudgeOf(redis, prefix, stop)).toBeNull();
    expect(await nextNudgeOf(redis, prefix, borrar)).toBeNull();

    // A learner who finished every lesson, reading the first one again.
    const lessons = app.content.course.lessons.map((l) => l.id);
    await saveSession(
      redis,
      prefix,
      { phone: done, lang: 'es', done: Object.fromEntries(lessons.map((id) => [id, [1, 1]])) },
      { indexed: true },
    );
    await learner(done).sendAll('1', '1', '1');
    expect(await nextNudgeOf(redis, prefix, done)).toBeNull();

    // The control learner went quiet last: once their nudges are out, the others' would be too.
    await intoFirstLesson(learner(control));
    await waitFor('the control learner’s nudges', noneScheduled(control), 15_000);
    expect(nudgesTo(fake, control)).toHaveLength(2);
    expect(nudgesTo(fake, stop)).toEqual([]);
    expect(nudgesTo(fake, borrar)).toEqual([]);
    expect(nudgesTo(fake, done)).toEqual([]);
  });

  it('keeps its due times in sixteen sets, one hash tag each', async () => {
    const keys = new Keyspace(prefix);
    expect(keys.nudgesDueOf(learnerId(nudgeNumber(1)))).toMatch(/nudge:due:\{nudge:\d+\}$/);
    expect(new Set(Array.from({ length: 16 }, (_, b) => keys.nudgesDue(b))).size).toBe(16);
  });
});
