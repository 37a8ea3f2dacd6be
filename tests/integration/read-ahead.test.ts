// Reading ahead: a turn that ends on a reading step goes on to the next steps the channel can
// carry, through the real engine and Redis, on a small course whose texts are short or long on
// purpose.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildContentRuntime } from '../../src/plugins/content-runtime.js';
import { parseAddress } from '../../src/privacy/phone.js';
import { smsSize } from '../../src/replies/sms-segments.js';
import { FakeClock, testEngine } from '../support/engine.js';
import { writeMiniCourse, type Mutable } from '../support/mini-course.js';
import { useTestRedis } from '../support/test-redis.js';

const { redis, prefix } = useTestRedis();
const LONG = `Un texto largo de lectura. ${'Sigue y sigue. '.repeat(8)}Fin.`;

/** The mini lesson with reading steps one..four before its question; `long` steps get LONG. */
function course(long: string[] = []) {
  const written = writeMiniCourse(({ lesson, texts }) => {
    const steps = lesson.steps as Mutable[];
    steps.splice(
      2,
      0,
      { id: 'three', type: 'message', text: 'three' },
      { id: 'four', type: 'message', text: 'four' },
    );
    texts.es!.three = 'Tres.';
    texts.es!.four = 'Cuatro.';
    for (const lang of ['ay', 'qu']) {
      texts[lang]!.three = { text: 'Kimsa.', status: 'draft', reviewer: null };
      texts[lang]!.four = { text: 'Pusi.', status: 'draft', reviewer: null };
    }
    for (const id of long) texts.es![id] = LONG;
  });
  return { dir: written.dir, runtime: buildContentRuntime(written, written.dir) };
}
const short = course();
const withLong = course(['two']);
afterAll(() => {
  for (const c of [short, withLong]) rmSync(c.dir, { recursive: true, force: true });
});

let learners = 0;
/** A learner at the lesson list, and a function that sends one message and returns the turn. */
async function atTheList(runtime: typeof short.runtime, channel: 'sms' | 'whatsapp') {
  const clock = new FakeClock(Date.parse('2026-03-02T09:00:00-04:00'));
  const n = ++learners;
  const { engine } = testEngine(runtime, redis, `${prefix}${n}:`, clock);
  const phone = `+5917${String(n).padStart(7, '0')}`;
  const address = parseAddress(channel === 'sms' ? phone : `whatsapp:${phone}`)!;
  let sid = 0;
  const send = (body: string) => {
    clock.advance(60_000);
    return engine.handle({ address, body, messageSid: `SM${String(++sid).padStart(32, '0')}` });
  };
  for (const body of ['hola', '1', '1']) await send(body);
  return send;
}

describe('reading ahead on WhatsApp', () => {
  it('sends up to three reading steps in one turn, the continue line once, after the last', async () => {
    const send = await atTheList(short.runtime, 'whatsapp');
    const opened = await send('1');
    expect(opened.replies).toEqual(['Uno.', 'Dos.', 'Tres.\n(1 para seguir)']);
    expect(opened.state).toBe('flow/mini/three');
  });

  it('stops at a question, which comes with the reading steps before it', async () => {
    const send = await atTheList(short.runtime, 'whatsapp');
    await send('1');
    const next = await send('1');
    expect(next.replies).toEqual(['Cuatro.', '¿Sí?\n1) No\n2) Sí']);
    expect(next.state).toBe('flow/mini/q1');
  });

  it('puts a lesson’s closing line in one bubble with what follows it (here, the completion code)', async () => {
    const send = await atTheList(short.runtime, 'whatsapp');
    await send('1');
    await send('1');
    const done = await send('2');
    expect(done.replies).toHaveLength(3);
    expect(done.replies[0]).toBe('¡Correcto! Porque sí.');
    expect(done.replies[1]).toMatch(/^¡Terminaste "Mini"! .*\n¡Felicidades! .* AYNI-/);
    expect(done.replies[2]).toMatch(/^Menú:\n/);
  });
});

describe('reading ahead on SMS', () => {
  it('packs reading steps and the question into one SMS while they fit one segment', async () => {
    const send = await atTheList(short.runtime, 'sms');
    const opened = await send('1');
    expect(opened.replies).toEqual(['Uno.\nDos.\nTres.\nCuatro.\n¿Si?\n1) No\n2) Si']);
    expect(smsSize(opened.replies[0]!).segments).toBe(1);
    expect(opened.state).toBe('flow/mini/q1');
  });

  it('never pays a segment or a message more: a step that does not fit waits for "1"', async () => {
    const send = await atTheList(withLong.runtime, 'sms');
    const opened = await send('1');
    // "Dos." is long: with it, the turn would need a second SMS
    expect(opened.replies).toEqual(['Uno.\n(1 para seguir)']);
    expect(opened.state).toBe('flow/mini/one');
    const next = await send('1');
    expect(next.replies).toEqual([`${LONG}\n(1 para seguir)`]);
    expect(next.state).toBe('flow/mini/two');
    const rest = await send('1');
    expect(rest.replies).toEqual(['Tres.\nCuatro.\n¿Si?\n1) No\n2) Si']);
  });
});
