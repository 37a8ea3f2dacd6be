// The price of the course is read off a walk through it: the walk must answer as the real engine
// does (replayed here through the engine and Redis), and the price must add up.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { coursePrice, START, totalOf, WHOLE_COURSE } from '../../src/content-tools/course-price.js';
import { sendsThrough, walkCourse } from '../../src/content-tools/course-walk.js';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { parseAddress } from '../../src/privacy/phone.js';
import { realContent } from '../support/content.js';
import { FakeClock, testEngine } from '../support/engine.js';
import { writeMiniCourse } from '../support/mini-course.js';
import { useTestRedis } from '../support/test-redis.js';

const { redis, prefix } = useTestRedis();

describe('the walk through the course', () => {
  it.each([
    ['es', 'whatsapp'],
    ['qu', 'sms'],
    ['ay', 'whatsapp'],
  ] as const)('in %s on %s gets, turn by turn, what the engine answers', async (lang, channel) => {
    const runtime = realContent();
    const walk = walkCourse(runtime, lang, channel);
    const clock = new FakeClock(Date.parse('2026-03-02T09:00:00-04:00'));
    const { engine } = testEngine(runtime, redis, `${prefix}${lang}${channel}:`, clock);
    const address = parseAddress(channel === 'sms' ? '+59170000001' : 'whatsapp:+59170000002')!;
    for (const [i, turn] of walk.entries()) {
      clock.advance(60_000);
      const answered = await engine.handle({
        address,
        body: turn.send,
        messageSid: `SM${String(i + 1).padStart(32, '0')}`,
      });
      // The completion code is made from the learner's keyed id, which the walk does not have.
      const code = /AYNI-[A-Z0-9]{4}-[A-Z0-9]{4}/g;
      expect(
        answered.replies.map((r) => r.replace(code, 'CODE')),
        `turn ${i + 1}: ${turn.send}`,
      ).toEqual(turn.replies.map((r) => r.replace(code, 'CODE')));
    }
    expect(walk.at(-1)?.flow).toBe(runtime.course.sections.at(-1)?.flows.at(-1)?.id);
  });

  it('gives the messages from first contact to the end of a lesson', () => {
    const runtime = realContent();
    const first = runtime.course.sections[0]!.flows[0]!;
    const sends = sendsThrough(walkCourse(runtime, 'es', 'sms'), first.id);
    expect(sends.slice(0, 4)).toEqual(['hola', '1', '1', '1']);
    // on SMS, with the real lessons, every step still takes a message
    expect(sends).toHaveLength(4 + first.steps.length);
  });
});

describe('the price of a course', () => {
  const course = writeMiniCourse();
  afterAll(() => rmSync(course.dir, { recursive: true, force: true }));
  const price = coursePrice(buildContentRuntime(course, course.dir));

  it('counts, per lesson, what Ayni sends and what the learner must send', () => {
    for (const channel of ['sms', 'whatsapp'] as const) {
      const mini = price.rows.find((r) => r.part === 'mini' && r.lang === 'es' && r.channel === channel)!;
      // the lesson number, then the answer: the two reading steps come with the question
      expect(mini.learner).toBe(2);
      expect(mini.goOn).toBe(0);
    }
    const sms = price.rows.find((r) => r.part === 'mini' && r.lang === 'es' && r.channel === 'sms')!;
    expect(sms.segments).toBe(sms.sent);
    expect(sms.oneSegment).toBe(sms.sent);
    expect(totalOf(sms)).toBe(sms.segments + sms.learner);
  });

  it('adds the lessons and first contact up to the whole course, per language and channel', () => {
    expect(price.totals).toHaveLength(6);
    for (const total of price.totals) {
      expect(total.part).toBe(WHOLE_COURSE);
      const parts = price.rows.filter((r) => r.lang === total.lang && r.channel === total.channel);
      expect(parts.map((r) => r.part)).toEqual([START, 'mini', 'check']);
      for (const field of ['sent', 'segments', 'learner', 'goOn'] as const) {
        expect(total[field]).toBe(parts.reduce((n, r) => n + r[field], 0));
      }
    }
  });
});
