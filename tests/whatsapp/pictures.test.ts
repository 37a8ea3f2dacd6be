// The lessons' pictures: rendered from flows/media/*.svg with the words in each language, served
// by Ayni with caching headers, sent on WhatsApp with the step's text as caption (TwiML <Media>),
// never on SMS; and the content check naming a picture that is missing or whose words are.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runContentCheck } from '../../src/content-tools/content-check.js';
import { PICTURE_MAX_BYTES } from '../../src/replies/pictures.js';
import { realContent } from '../support/content.js';
import { writeMiniCourse, type Mutable } from '../support/mini-course.js';
import { decodePng } from '../support/png.js';
import { useTestRedis } from '../support/test-redis.js';
import {
  bolivianNumber,
  injectTransport,
  Learner,
  parseTwiml,
  PUBLIC_URL,
  say,
  useTestApp,
} from '../http/helpers.js';

const { url, prefix } = useTestRedis();
const app = await useTestApp(url, prefix);
const transport = injectTransport(app);
const pictures = realContent().pictures;

describe('pictures', () => {
  it('renders every picture in every language as a PNG within 100 KB', () => {
    const all = pictures.all();
    expect(all.map((p) => p.file)).toEqual(
      expect.arrayContaining(['seven-principles.svg', 'cooperative-vs-company.svg', 'break-even.svg']),
    );
    for (const { lang, flow, step } of all) {
      const png = pictures.png(lang, flow, step);
      if (!png) throw new Error(`no picture for ${lang} ${flow}/${step}`);
      expect(png.length).toBeLessThanOrEqual(PICTURE_MAX_BYTES);
      expect(decodePng(png)).toMatchObject({ width: 800 });
    }
    // The words are the learner's: the Quechua picture is not the Spanish one.
    const es = pictures.png('es', 'seven-principles', 'intro');
    const qu = pictures.png('qu', 'seven-principles', 'intro');
    expect(es?.equals(qu ?? Buffer.alloc(0))).toBe(false);
  });

  it('serves the bytes it rendered, cached for a day, revalidated by ETag', async () => {
    const response = await app.inject({ method: 'GET', url: '/media/ay/seven-principles/intro.png' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['cache-control']).toBe('public, max-age=86400');
    expect(
      response.rawPayload.equals(pictures.png('ay', 'seven-principles', 'intro') ?? Buffer.alloc(0)),
    ).toBe(true);
    const etag = String(response.headers.etag);
    const again = await app.inject({
      method: 'GET',
      url: '/media/ay/seven-principles/intro.png',
      headers: { 'if-none-match': etag },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers 404 for a step without a picture and 400 for a language Ayni does not speak', async () => {
    expect((await app.inject({ method: 'GET', url: '/media/es/seven-principles/p1.png' })).statusCode).toBe(
      404,
    );
    expect(
      (await app.inject({ method: 'GET', url: '/media/en/seven-principles/intro.png' })).statusCode,
    ).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/media/es/..%2Fx/intro.png' })).statusCode).toBe(400);
  });

  it('sends the picture on WhatsApp with the step text as its caption, and only the text on SMS', async () => {
    const intro = say('es', 'whatsapp', 'seven-principles:intro');
    const whatsapp = new Learner(`whatsapp:${bolivianNumber()}`, transport);
    // hola, Español, Think.COOP, the seven principles by its number: its first step has the picture.
    const index = realContent().course.sections[0]!.flows.findIndex((f) => f.id === 'seven-principles');
    expect(index, 'seven-principles is a Think.COOP lesson').toBeGreaterThanOrEqual(0);
    const lesson = String(index + 1);
    const [, , , toIntro] = await whatsapp.sendAll('hola', '1', '1', lesson);
    // Reading ahead may bring the next steps in the same turn: the picture goes with the intro's bubble.
    const media = `<Media>${PUBLIC_URL}/media/es/seven-principles/intro.png</Media>`;
    const bubbles = toIntro?.body.match(/<Message>[\s\S]*?<\/Message>/g) ?? [];
    const withPicture = bubbles.filter((bubble) => bubble.includes(media));
    expect(withPicture).toHaveLength(1);
    expect(parseTwiml(`<Response>${withPicture[0]}</Response>`)[0]).toContain(intro);
    const sms = new Learner(bolivianNumber(), transport);
    const [, , , smsIntro] = await sms.sendAll('hola', '1', '1', lesson);
    expect(smsIntro?.body).not.toContain('<Media>');
    expect(smsIntro?.text).toContain(say('es', 'sms', 'seven-principles:intro'));
  });
});

describe('the content check on pictures', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function check(svg: string | null, change: (texts: Record<string, Mutable>) => void = () => {}) {
    const written = writeMiniCourse(({ lesson, texts }) => {
      (lesson.steps as Mutable[])[0]!.image = { file: 'mini.svg', alt: 'img.alt' };
      // A greeting in each language (Quechua in its j-spelling, which the check also holds it to).
      const words: Record<string, string> = { es: 'Hola', ay: 'Kamisaki', qu: 'Allillanchu' };
      for (const lang of ['es', 'ay', 'qu']) {
        const wrap = (t: string) => (lang === 'es' ? t : { text: t, status: 'draft' });
        texts[lang]!.img = { alt: wrap('Un dibujo.'), word: wrap(words[lang]!) };
      }
      change(texts);
    });
    dir = written.dir;
    if (svg !== null) writeFileSync(path.join(written.flowsDir, 'media', 'mini.svg'), svg);
    return runContentCheck(written, dir).problems;
  }

  it('passes a picture whose file and words exist', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="200"><text y="50">{{img.word}}</text></svg>';
    expect(check(svg)).toEqual([]);
  });

  it('names a picture whose file does not exist', () => {
    expect(check(null)).toContain(
      'flows/lessons/mini.yaml: steps.0(one).image.file: flows/media/mini.svg does not exist',
    );
  });

  it('names a word of the picture missing in one language', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" width="800" height="200"><text y="50">{{img.word}}</text></svg>';
    const problems = check(svg, (texts) => {
      delete (texts.qu!.img as Mutable).word;
    });
    expect(problems).toContain(
      'flows/lessons/mini.yaml: steps.0(one).image (mini.svg): text mini:img.word is missing in locales/qu',
    );
  });

  it('names a picture over 100 KB', () => {
    // A grid of 40,000 cells of scattered colours barely compresses: about 130 KB as a PNG.
    const cells: string[] = [];
    for (let i = 0; i < 200 * 200; i++) {
      const colour = (Math.imul(i + 1, 2654435761) >>> 8) & 0xffffff;
      const [x, y] = [(i % 200) * 4, Math.floor(i / 200) * 4];
      cells.push(
        `<rect x="${x}" y="${y}" width="4" height="4" fill="#${colour.toString(16).padStart(6, '0')}"/>`,
      );
    }
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800">${cells.join('')}<text>{{img.word}}</text></svg>`;
    const problems = check(svg);
    expect(
      problems.some((p) =>
        /^flows\/lessons\/mini\.yaml: one\.image \(es\): flows\/media\/mini\.svg renders to \d+ KB in es; at most 100 KB$/.test(
          p,
        ),
      ),
    ).toBe(true);
  });
});
