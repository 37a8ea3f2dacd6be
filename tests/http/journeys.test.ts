// Whole conversations over HTTP, as Twilio delivers them: signed form posts to /twilio/messages on
// the real app, the real course and the real Redis, in each language and on both channels. The
// expected texts come from locales/ through the real translator, spelled for the channel.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/content/locale-schema.js';
import { realContent } from '../support/content.js';
import { FakeClock } from '../support/engine.js';
import { useTestRedis } from '../support/test-redis.js';
import {
  bolivianNumber,
  injectTransport,
  Learner,
  lockKey,
  readSession,
  say,
  sessionKey,
  testApp,
} from './helpers.js';

type Channel = 'sms' | 'whatsapp';

const { redis, url, prefix } = useTestRedis();
// Mid-morning in La Paz: the same calendar day in UTC and in Bolivia.
const TODAY = '2026-03-02';
const clock = new FakeClock(Date.parse(`${TODAY}T10:00:00-04:00`));
let app: FastifyInstance;

beforeAll(async () => {
  app = await testApp(url, prefix, { clock: clock.read });
});
afterAll(async () => {
  await app?.close();
});

const LANGUAGE_CHOICE: Record<Language, string> = { es: '1', ay: '2', qu: '3' };
const LESSON = 'what-is-a-cooperative';

/** The feasibility check's rating steps, in order, with their text keys. */
const RATING_STEPS = [
  'need_common',
  'need_solves',
  'members_core',
  'members_trust',
  'market_compete',
  'market_buyers',
  'resources_reach',
  'resources_capital',
  'skills_have',
  'skills_learn',
  'governance_vote',
  'governance_rules',
];
/** How learners really answer: numbers with punctuation, yes and no in any of the languages. */
const FEASIBILITY_ANSWERS = ['sí', 'no', 'jisa', '2.', '1', '3', '1)', 'no', 'SI', '2', '1', 'jisa'];
// Yes 2 points, partly 1, no 0; two questions per area, so each area is out of 4.
const EXPECTED_AREAS = { need: 50, members: 75, market: 50, resources: 50, skills: 75, governance: 100 };
const EXPECTED_AVERAGE = 67; // (50 + 75 + 50 + 50 + 75 + 100) / 6 = 66.7

function newLearner(channel: Channel): Learner {
  const phone = bolivianNumber();
  return new Learner(channel === 'sms' ? phone : `whatsapp:${phone}`, injectTransport(app));
}

function texts(lang: Language, channel: Channel) {
  const t = (key: string, vars?: Record<string, string | number>) =>
    realContent().translator.t(lang, key, vars);
  const s = (key: string, vars?: Record<string, string | number>) => say(lang, channel, key, vars);
  return { t, s };
}

function expectWelcome(messages: string[], channel: Channel): void {
  const all = messages.join('\n');
  expect(all).toContain(say('es', channel, 'common:welcome'));
  const lines = all.split('\n');
  expect(lines).toContain('1 Español');
  expect(lines).toContain('2 Aymar aru');
  expect(lines).toContain('3 Runa simi');
}

/** Welcome, then the language: the learner is at the menu. */
async function atMenu(learner: Learner, lang: Language): Promise<void> {
  await learner.sendAll('Hola', LANGUAGE_CHOICE[lang]);
}

/** From the menu through lesson 1, every question right at the first try; ends at the lessons list. */
async function finishLessonOne(learner: Learner): Promise<void> {
  // lessons, lesson 1, intro, ayni, definition → question; right (2); democracy → question; right (3); bolivia → done
  await learner.sendAll('1', '1', '1', '1', '1', '2', '1', '3', '1');
}

const CASES = (['es', 'ay', 'qu'] as const).flatMap((lang) =>
  (['sms', 'whatsapp'] as const).map((channel) => ({ lang, channel })),
);

describe.each(CASES)('a learner in $lang on $channel', ({ lang, channel }) => {
  it('is welcomed, learns, checks feasibility and sees their progress', async () => {
    const { t, s } = texts(lang, channel);
    const learner = newLearner(channel);

    const [welcome] = await learner.sendAll('Hola');
    expect(welcome?.contentType).toMatch(/^text\/xml/);
    expectWelcome(welcome?.messages ?? [], channel);

    const menu = await learner.send(LANGUAGE_CHOICE[lang]);
    expect(menu.messages).toEqual([s('common:menu')]);

    // Lesson 1: three message steps, then a question answered wrong, then right.
    const [list, intro, ayni, definition, question] = await learner.sendAll('1', '1', '1', '1', '1');
    expect(list?.text).toContain(s(`${LESSON}:title`));
    expect(intro?.text).toContain(s(`${LESSON}:intro`));
    expect(intro?.text).toContain(s('common:continue'));
    expect(ayni?.text).toContain(s(`${LESSON}:ayni`));
    expect(definition?.text).toContain(s(`${LESSON}:definition`));
    expect(question?.text).toContain(s(`${LESSON}:q_owners.text`));
    expect(question?.text).toContain(
      s('common:question_options', { number: 2, option: t(`${LESSON}:q_owners.b`) }),
    );

    const wrong = await learner.send('1');
    expect(wrong.text).toContain(s(`${LESSON}:q_owners.hint`));
    expect(wrong.text).not.toContain(s(`${LESSON}:q_owners.why`));
    const right = await learner.send('2');
    expect(right.text).toContain(s('common:right', { explanation: t(`${LESSON}:q_owners.why`) }));
    expect(right.text).toContain(s(`${LESSON}:democracy`));

    const back = await learner.send('MENU');
    expect(back.messages).toEqual([s('common:menu')]);
    const progress = await learner.send('3');
    expect(progress.messages).toEqual([
      s('common:progress', {
        done: 0,
        total: 3,
        scores: t('common:progress_no_lessons'),
        feasibility: t('common:progress_no_feasibility'),
      }),
    ]);

    // The feasibility check, to the end.
    const [checkIntro, first] = await learner.sendAll('2', '1');
    expect(checkIntro?.text).toContain(s('feasibility:intro'));
    expect(first?.text).toContain(s(`feasibility:${RATING_STEPS[0]}`));
    expect(first?.text).toContain(s('common:question_options', { number: 1, option: t('common:scale.yes') }));
    for (const [i, answer] of FEASIBILITY_ANSWERS.entries()) {
      const turn = await learner.send(answer);
      expect(turn.status, `answer "${answer}"`).toBe(200);
      const next = RATING_STEPS[i + 1];
      if (next) {
        expect(turn.text, `answer "${answer}" leads to ${next}`).toContain(s(`feasibility:${next}`));
        continue;
      }
      for (const [area, percent] of Object.entries(EXPECTED_AREAS)) {
        const label = t(`feasibility:areas.${area}.label`);
        expect(turn.text).toContain(s('common:feasibility.area_score', { label, percent }));
      }
      expect(turn.messages.at(-1)).toContain(s('common:menu'));
    }

    const summary = t('common:feasibility.summary_short', { percent: EXPECTED_AVERAGE, date: TODAY });
    const afterCheck = await learner.send('3');
    expect(afterCheck.messages).toEqual([
      s('common:progress', {
        done: 0,
        total: 3,
        scores: t('common:progress_no_lessons'),
        feasibility: summary,
      }),
    ]);

    // Back into lesson 1: it resumes where the learner left it, and can be finished.
    const [, resumed, votes, rightAgain, done] = await learner.sendAll('1', '1', '1', '3', '1');
    expect(resumed?.text).toContain(s(`${LESSON}:democracy`));
    expect(votes?.text).toContain(s(`${LESSON}:q_votes.text`));
    expect(rightAgain?.text).toContain(s(`${LESSON}:q_votes.why`));
    expect(rightAgain?.text).toContain(s(`${LESSON}:bolivia`));
    expect(done?.text).toContain(
      s('common:lesson_done', { title: t(`${LESSON}:title`), score: 1, total: 2 }),
    );
    expect(done?.text).toContain(`1 ${s(`${LESSON}:title`)} ${s('common:lesson_done_mark')}`);

    const [, finalProgress] = await learner.sendAll('MENU', '3');
    const scores = t('common:progress_score', { title: t(`${LESSON}:title`), score: 1, total: 2 });
    expect(finalProgress?.messages).toEqual([
      s('common:progress', { done: 1, total: 3, scores, feasibility: summary }),
    ]);

    const session = await readSession(redis, prefix, learner.phone);
    expect(session.snapshot.value).toBe('menu');
    expect(session.address).toBe(learner.from);
    expect((session.snapshot.context as { lang: string }).lang).toBe(lang);
  });
});

/** Per language: its own words for the keywords, where it has them, and a channel. */
const KEYWORD_CASES: {
  lang: Language;
  channel: Channel;
  help: string[];
  language: string;
  switchTo: Language;
  stop: string;
  start: string;
  remove: string;
}[] = [
  {
    lang: 'es',
    channel: 'sms',
    help: ['AYUDA', 'HELP'],
    language: 'IDIOMA',
    switchTo: 'qu',
    stop: 'BAJA',
    start: 'ALTA',
    remove: 'BORRAR',
  },
  {
    lang: 'ay',
    channel: 'whatsapp',
    help: ['yanapa', 'AYUDA'],
    language: 'aru',
    switchTo: 'es',
    stop: 'STOP',
    start: 'START',
    remove: 'borrar',
  },
  {
    lang: 'qu',
    channel: 'sms',
    help: ['Yanapay', 'help'],
    language: 'simi',
    switchTo: 'ay',
    stop: 'Baja',
    start: 'alta',
    remove: 'Borrar todo',
  },
];

describe.each(KEYWORD_CASES)('keywords in $lang on $channel', (k) => {
  const { s } = texts(k.lang, k.channel);

  it(`${k.help.join(' and ')} answer with help and leave the lesson where it was`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);
    const [, intro] = await learner.sendAll('1', '1');
    expect(intro?.text).toContain(s(`${LESSON}:intro`));
    const before = await readSession(redis, prefix, learner.phone);

    for (const word of k.help) {
      const help = await learner.send(word);
      expect(help.messages, word).toEqual([s('common:help')]);
    }
    const after = await readSession(redis, prefix, learner.phone);
    expect(after.snapshot.value).toEqual(before.snapshot.value);
    expect(after.turns).toBe(before.turns + k.help.length);

    const next = await learner.send('1');
    expect(next.text).toContain(s(`${LESSON}:ayni`));
  });

  it(`${k.language} switches to ${k.switchTo} and keeps the progress`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);
    await finishLessonOne(learner);
    await learner.sendAll('MENU');

    const choose = await learner.send(k.language);
    expect(choose.text.split('\n')).toEqual(
      expect.arrayContaining(['1 Español', '2 Aymar aru', '3 Runa simi']),
    );

    const other = texts(k.switchTo, k.channel);
    const switched = await learner.send(LANGUAGE_CHOICE[k.switchTo]);
    expect(switched.text).toContain(other.s('common:language_changed'));
    expect(switched.text).toContain(other.s('common:menu'));

    const progress = await learner.send('3');
    const scores = other.t('common:progress_score', {
      title: other.t(`${LESSON}:title`),
      score: 2,
      total: 2,
    });
    expect(progress.messages).toEqual([
      other.s('common:progress', {
        done: 1,
        total: 3,
        scores,
        feasibility: other.t('common:progress_no_feasibility'),
      }),
    ]);
    const session = await readSession(redis, prefix, learner.phone);
    expect((session.snapshot.context as { lang: string }).lang).toBe(k.switchTo);
  });

  it(`${k.stop} opts out, later messages get an empty reply, ${k.start} brings them back`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);

    const stopped = await learner.send(k.stop);
    expect(stopped.messages).toEqual([s('common:stopped')]);
    expect((await readSession(redis, prefix, learner.phone)).optedOut).toBe(true);

    for (const body of ['Hola', '1', '3']) {
      const silent = await learner.send(body);
      expect(silent.status).toBe(200);
      expect(silent.body).toMatch(/<Response\/>$/);
      expect(silent.messages).toEqual([]);
    }

    const back = await learner.send(k.start);
    expect(back.text).toContain(s('common:restarted'));
    expect(back.text).toContain(s('common:menu'));
    expect((await readSession(redis, prefix, learner.phone)).optedOut).toBe(false);
    const progress = await learner.send('3');
    expect(progress.text).toContain(s('common:progress_no_lessons'));
  });

  it(`${k.remove} deletes the learner's data and the next message starts over`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);
    await learner.sendAll('1', '1', '1');
    expect(await redis.exists(sessionKey(prefix, learner.phone))).toBe(1);

    const deleted = await learner.send(k.remove);
    expect(deleted.messages).toEqual([s('common:deleted')]);
    expect(await redis.exists(sessionKey(prefix, learner.phone), lockKey(prefix, learner.phone))).toBe(0);

    const again = await learner.send('Hola');
    expectWelcome(again.messages, k.channel);
    const fresh = await readSession(redis, prefix, learner.phone);
    expect(fresh.turns).toBe(1);
    expect(fresh.snapshot.value).toBe('welcome');
    expect((fresh.snapshot.context as { lang: string | null }).lang).toBeNull();
  });
});

describe('the date of the feasibility check', () => {
  // 21:30 in La Paz (UTC-4) is already the next day in UTC. Ayni runs with TZ=America/La_Paz
  // (DESIGN.md, Dockerfile): a learner who took the check on the evening of 2 March must not be
  // told they took it on 3 March.
  const evening = new FakeClock(Date.parse('2026-03-02T21:30:00-04:00'));
  let eveningApp: FastifyInstance;
  beforeAll(async () => {
    eveningApp = await testApp(url, `${prefix}evening:`, { clock: evening.read });
  });
  afterAll(async () => {
    await eveningApp?.close();
  });

  it('is the learner’s day in Bolivia, not the UTC day', async () => {
    const learner = new Learner(bolivianNumber(), injectTransport(eveningApp));
    await learner.sendAll('Hola', '1', '2', '1', ...RATING_STEPS.map(() => '1'));
    const progress = await learner.send('3');
    expect(progress.text).toContain('100% (2026-03-02)');
  });
});
