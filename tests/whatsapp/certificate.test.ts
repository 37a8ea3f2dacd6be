// The certificate: finishing Think.COOP on WhatsApp sends it as a picture (the congratulation is
// its caption) from a URL only the token opens; it is drawn on demand with the course, the day,
// the code, how a coordinator checks it and, after NOMBRE, the learner's name, escaped. SMS gets
// the code alone.
import { describe, expect, it } from 'vitest';
import { realContent } from '../support/content.js';
import { decodePng } from '../support/png.js';
import { saveSession } from '../support/session-fixture.js';
import { useTestRedis } from '../support/test-redis.js';
import {
  bolivianNumber,
  injectTransport,
  Learner,
  PUBLIC_URL,
  readSession,
  useTestApp,
} from '../http/helpers.js';
import { describeState } from '../../src/conversation/describe-state.js';

const { redis, url, prefix } = useTestRedis();
const app = await useTestApp(url, prefix);
const { course, certificates } = realContent();
const think = course.sections[0]!;
const last = think.flows.at(-1)!;
const CERT_URL =
  /<Media>(https:\/\/ayni\.test\/media\/certificate\/es\/(AYNI-[A-Z0-9]{4}-[A-Z0-9]{4})\.png\?t=[\w-]{22})<\/Media>/;

/** A learner on the menu with every Think.COOP lesson but the last done, who then finishes it. */
async function finishThinkCoop(channel: 'sms' | 'whatsapp') {
  const phone = bolivianNumber();
  const done = Object.fromEntries(think.flows.slice(0, -1).map((f) => [f.id, [1, 1] as [number, number]]));
  await saveSession(redis, prefix, { phone, channel, lang: 'es', done }, { indexed: true });
  const learner = new Learner(channel === 'whatsapp' ? `whatsapp:${phone}` : phone, injectTransport(app));
  await learner.sendAll('1', String(think.flows.length));
  return { learner, finished: await throughTheLesson(learner) };
}

/**
 * Answers the last lesson from where the learner stands until it is over: the right answer at a
 * question, "1" at a step that waits. Reading ahead shows several steps in one turn, so the step
 * that waits is read from the saved session, not counted. Returns the turn that finished it.
 */
async function throughTheLesson(learner: Learner) {
  const inLesson = `flow/${last.id}/`;
  for (let turns = 0; turns < last.steps.length; turns++) {
    const at = describeState((await readSession(redis, prefix, learner.phone)).snapshot.value);
    const step = last.steps.find((each) => inLesson + each.id === at);
    if (!step) throw new Error(`expected the learner in ${last.id}, found ${at}`);
    const turn = await learner.send(step.type === 'question' ? String(step.answer) : '1');
    const after = describeState((await readSession(redis, prefix, learner.phone)).snapshot.value);
    if (!after.startsWith(inLesson)) return turn;
  }
  throw new Error(`${last.id} did not end in ${last.steps.length} turns`);
}

async function fetchMedia(href: string) {
  return app.inject({ method: 'GET', url: href.replace(PUBLIC_URL, '').replace(/&amp;/g, '&') });
}

describe('the certificate', () => {
  it('shows the course, the day, the code and how to check it, in the learner’s language', () => {
    const facts = { code: 'AYNI-7K3M-Q9PX', on: '2026-12-02', name: null };
    const svg = certificates.svg({ ...facts, lang: 'qu' });
    expect(svg).toContain('>AYNI-7K3M-Q9PX<');
    expect(svg).toContain('Think.COOP');
    expect(svg).toContain('02/12/2026');
    expect(svg).toContain(realContent().translator.t('qu', 'common:certificate.check'));
    expect(decodePng(certificates.png({ ...facts, lang: 'qu' }))).toMatchObject({ width: 1000, height: 700 });
  });

  it('escapes the name a learner gives, so it can add nothing to the picture', () => {
    const svg = certificates.svg({
      lang: 'es',
      code: 'AYNI-7K3M-Q9PX',
      on: '2026-12-02',
      name: '</text><image href="x"/>&',
    });
    expect(svg).toContain('&lt;/text&gt;&lt;image href=&quot;x&quot;/&gt;&amp;');
    expect(svg).not.toContain('<image');
  });

  it('comes with the congratulation on WhatsApp, opens with its token only, and takes the name from NOMBRE', async () => {
    const { learner, finished } = await finishThinkCoop('whatsapp');
    const [, href = '', code = ''] = CERT_URL.exec(finished.body) ?? [];
    expect(href).not.toBe('');
    expect(finished.text).toContain(code); // the caption: the congratulation with the code
    const record = await app.completions.find(code);
    expect(record).not.toBeNull();

    const first = await fetchMedia(href);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('image/png');
    expect(first.headers['cache-control']).toBe('private, max-age=300');
    const unnamed = certificates.png({ lang: 'es', code, on: record!.on, name: null });
    expect(first.rawPayload.equals(unnamed)).toBe(true);

    const wrongToken = href.replace(/t=[\w-]+/, 't=AAAAAAAAAAAAAAAAAAAAAA');
    expect((await fetchMedia(wrongToken)).statusCode).toBe(404);
    expect((await fetchMedia(href.replace(code, 'AYNI-2222-3333'))).statusCode).toBe(404);

    const named = await learner.send('NOMBRE  Ana   Quispe');
    expect(named.text).toContain('Ana Quispe');
    const [, again = ''] = CERT_URL.exec(named.body) ?? [];
    expect(again).toBe(href);
    const withName = await fetchMedia(again);
    expect(decodePng(withName.rawPayload)).toMatchObject({ width: 1000 });
    expect(
      withName.rawPayload.equals(certificates.png({ lang: 'es', code, on: record!.on, name: 'Ana Quispe' })),
    ).toBe(true);
  });

  it('is the code alone on SMS, as before', async () => {
    const { finished } = await finishThinkCoop('sms');
    expect(finished.text).toMatch(/AYNI-[A-Z0-9]{4}-[A-Z0-9]{4}/);
    expect(finished.body).not.toContain('<Media>');
  });

  it('answers NOMBRE alone with how to write it', async () => {
    const learner = new Learner(`whatsapp:${bolivianNumber()}`, injectTransport(app));
    const [, , how] = await learner.sendAll('hola', '1', 'NOMBRE');
    expect(how?.text).toBe(realContent().translator.t('es', 'common:certificate.name_how'));
  });
});
