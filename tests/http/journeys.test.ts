// Whole conversations over HTTP, as Twilio delivers them: signed form posts to /twilio/messages on
// the real app, the real course and the real Redis, in each language and on both channels. The
// expected texts come from locales/ through the real translator, spelled for the channel.
import type { FastifyInstance } from 'fastify';
import { SegmentedMessage } from 'sms-segments-calculator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../src/content/flow-schema.js';
import type { Language } from '../../src/content/locale-schema.js';
import { feasibilityVerdict } from '../../src/flows/feasibility-verdict.js';
import { qualifyKey, type AnyFlow } from '../../src/flows/course.js';
import { learnerId } from '../support/person-ids.js';
import { Keyspace } from '../../src/store/keyspace.js';
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
  useTestApp,
  type Turn,
} from './helpers.js';
import {
  course,
  firstLesson,
  menuNumber,
  rightAnswer,
  stepPath,
  textsFor,
  waitsAt,
  wrongAnswer,
  type Channel,
} from './course-walk.js';

const { redis, url, prefix } = useTestRedis();
// Mid-morning in La Paz: the same calendar day in UTC and in Bolivia.
const TODAY = '2026-03-02';
const clock = new FakeClock(Date.parse(`${TODAY}T10:00:00-04:00`));
const app = await useTestApp(url, prefix, { clock: clock.read });

const LANGUAGE_CHOICE: Record<Language, string> = { es: '1', ay: '2', qu: '3' };
const L = firstLesson();
const FLOW = L.lesson;
const QUESTION = L.path[L.firstQuestion] as Step;
const AFTER_QUESTION = L.path[L.firstQuestion + 1] as Step;
const MENU_PROGRESS = menuNumber('progress');
const MENU_ASSESSMENT = menuNumber('assessment');

/** How learners really answer: numbers with punctuation, yes and no in any of the languages. */
const FEASIBILITY_ANSWERS = ['sí', 'no', 'jisa', '2.', '1', 'arí', '1)', 'no', 'SI', '3.', '2', 'jisa'];
const YES = new Set(['sí', 'SI', 'jisa', 'arí']);
const NO = new Set(['no']);

/** The option a rating answer picks: yes and no words pick the option labelled yes or no. */
function ratingChoice(step: Step, answer: string): number | null {
  if (step.type !== 'rating') return null;
  const labelled = (key: string) => step.options.findIndex((o) => o.text === key) + 1 || null;
  if (YES.has(answer)) return labelled('common:scale.yes');
  if (NO.has(answer)) return labelled('common:scale.no');
  const n = Number.parseInt(answer, 10);
  return n >= 1 && n <= step.options.length ? n : null;
}

/**
 * The assessment walked with FEASIBILITY_ANSWERS: what to send at each step (at a reading step,
 * "1" if the learner has to: see sendSteps), and the percent per area.
 */
function feasibilityPlan() {
  const assessment = course().assessment;
  const sends: string[] = [];
  const got: Record<string, number> = {};
  const max: Record<string, number> = {};
  let a = 0;
  for (const step of stepPath(assessment)) {
    if (step.type !== 'rating') {
      sends.push('1');
      continue;
    }
    // The next answer in the mix that this step understands (all of them, with yes/partly/no).
    let choice: number | null = null;
    let answer = '1';
    for (let tries = 0; tries < FEASIBILITY_ANSWERS.length && choice === null; tries++) {
      answer = FEASIBILITY_ANSWERS[a++ % FEASIBILITY_ANSWERS.length] as string;
      choice = ratingChoice(step, answer);
    }
    sends.push(answer);
    got[step.area] = (got[step.area] ?? 0) + (step.options[(choice ?? 1) - 1]?.points ?? 0);
    max[step.area] = (max[step.area] ?? 0) + Math.max(...step.options.map((o) => o.points));
  }
  const areas = Object.fromEntries(
    assessment.areas.map((area) => [
      area.id,
      max[area.id] ? Math.round((100 * (got[area.id] ?? 0)) / (max[area.id] as number)) : 0,
    ]),
  );
  return { sends, areas, path: stepPath(assessment) };
}

function newLearner(channel: Channel): Learner {
  const phone = bolivianNumber();
  return new Learner(channel === 'sms' ? phone : `whatsapp:${phone}`, injectTransport(app));
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

/**
 * Answers `steps` in order, the first already shown: `sends[i]` at step i, except at a reading
 * step that came in one turn with the steps after it, which needs nothing (waitsAt). Checks that
 * every step's text came, in order; returns the turns sent.
 */
async function sendSteps(
  learner: Learner,
  x: ReturnType<typeof textsFor>,
  flow: AnyFlow,
  steps: Step[],
  sends: string[],
): Promise<Turn[]> {
  const turns: Turn[] = [];
  let shown = learner.history.at(-1)?.text ?? '';
  for (const [i, step] of steps.entries()) {
    expect(shown, `${step.id} is shown, after the steps before it`).toContain(x.step(flow, step));
    shown = shown.slice(shown.indexOf(x.step(flow, step)) + x.step(flow, step).length);
    if (step.type === 'message' && !waitsAt(learner.history.at(-1), x, flow, step)) continue;
    const turn = await learner.send(sends[i] as string);
    expect(turn.status, `answer "${sends[i]}"`).toBe(200);
    turns.push(turn);
    shown = turn.text;
  }
  return turns;
}

/** From the menu through the whole lesson, every question right at the first try. */
async function finishLesson(learner: Learner, x: ReturnType<typeof textsFor>): Promise<Turn[]> {
  await learner.sendAll(L.sectionNumber, L.number);
  return sendSteps(learner, x, FLOW, L.path, L.path.map(rightAnswer));
}

const CASES = (['es', 'ay', 'qu'] as const).flatMap((lang) =>
  (['sms', 'whatsapp'] as const).map((channel) => ({ lang, channel })),
);

describe.each(CASES)('a learner in $lang on $channel', ({ lang, channel }) => {
  it('is welcomed, learns, checks feasibility and sees their progress', async () => {
    const x = textsFor(lang, channel);
    const learner = newLearner(channel);
    const sections = course().sections;

    const [welcome] = await learner.sendAll('Hola');
    expect(welcome?.contentType).toMatch(/^text\/xml/);
    expectWelcome(welcome?.messages ?? [], channel);

    // Aymara and Quechua texts are drafts: the first choice of one says so, and how to CORREGIR.
    const menu = await learner.send(LANGUAGE_CHOICE[lang]);
    const notice = lang === 'es' ? [] : [x.s('common:draft_notice')];
    expect(menu.messages).toEqual([...notice, x.s('common:menu')]);

    // The lesson: its message steps, then a question answered wrong, then right.
    const list = await learner.send(L.sectionNumber);
    expect(list.text.split('\n')).toContain(`${L.number} ${x.title(FLOW)}`);
    await learner.send(L.number);
    const beforeQuestion = L.path.slice(0, L.firstQuestion);
    await sendSteps(learner, x, FLOW, beforeQuestion, beforeQuestion.map(rightAnswer));
    expect(learner.history.at(-1)?.text).toContain(x.step(FLOW, QUESTION));
    const wrong = await learner.send(wrongAnswer(QUESTION));
    expect(wrong.text).toContain(x.hint(FLOW, QUESTION));
    expect(wrong.text).not.toContain(x.step(FLOW, AFTER_QUESTION));
    const right = await learner.send(rightAnswer(QUESTION));
    expect(right.text).toContain(x.s('common:right', { explanation: x.explanation(FLOW, QUESTION) }));
    expect(right.text).toContain(x.step(FLOW, AFTER_QUESTION));

    const back = await learner.send('MENU');
    expect(back.messages).toEqual([x.s('common:menu')]);
    const progress = await learner.send(MENU_PROGRESS);
    for (const section of sections) expect(progress.text).toContain(x.progressLine(section, 0, 0, 0));
    expect(progress.text).toContain(x.s('common:progress_no_feasibility'));

    // The feasibility check, to the end.
    const plan = feasibilityPlan();
    await learner.send(MENU_ASSESSMENT);
    const checked = await sendSteps(learner, x, course().assessment, plan.path, plan.sends);
    const result = checked.at(-1)!;
    for (const area of course().assessment.areas) {
      const label = x.t(qualifyKey(course().assessment.id, area.label));
      expect(result.text).toContain(
        x.s('common:feasibility.area_score', { label, percent: plan.areas[area.id] ?? 0 }),
      );
    }
    expect(result.messages.at(-1)).toContain(x.s('common:menu'));
    // "Mi progreso" shows the verdict in words, not an average of the areas.
    const { verdict } = feasibilityVerdict(course().assessment, plan.areas);
    const summary = x.s('common:feasibility.summary_short', {
      verdict: x.s(`common:feasibility.short.${verdict}`),
      date: TODAY,
    });
    const afterCheck = await learner.send(MENU_PROGRESS);
    expect(afterCheck.text).toContain(summary);

    // Back into the lesson: it resumes where the learner was left, and can be finished.
    await learner.send(L.sectionNumber);
    // where the learner was left: the last step the right answer's turn showed (read ahead)
    const leftAt = L.path.findLast((step) => right.text.includes(x.step(FLOW, step))) as Step;
    const rest = L.path.slice(L.path.indexOf(leftAt));
    const resumed = await learner.send(L.number);
    expect(resumed.text).toContain(x.step(FLOW, leftAt));
    const last = (await sendSteps(learner, x, FLOW, rest, rest.map(rightAnswer))).at(-1)!;
    const score = L.questions - 1;
    expect(last.text).toContain(
      x.s('common:lesson_done', { title: x.rawTitle(FLOW), score, total: L.questions }),
    );
    expect(last.text).toContain(`${L.number} ${x.title(FLOW)} ${x.s('common:lesson_done_mark')}`);

    const [, finalProgress] = await learner.sendAll('MENU', MENU_PROGRESS);
    expect(finalProgress?.text).toContain(x.progressLine(L.section, 1, score, L.questions));
    expect(finalProgress?.text).toContain(summary);

    const session = await readSession(redis, prefix, learner.phone);
    expect(session.snapshot.value).toBe('menu');
    expect(session.address).toBe(learner.from);
    expect((session.snapshot.context as { lang: string }).lang).toBe(lang);
    expect(session.turns).toBe(learner.history.length);
  });

  if (channel === 'sms') {
    it('sends every SMS in GSM-7, so no message pays the UCS-2 price', async () => {
      const learner = newLearner(channel);
      const plan = feasibilityPlan();
      await atMenu(learner, lang);
      await finishLesson(learner, textsFor(lang, channel));
      await learner.sendAll('MENU', MENU_ASSESSMENT);
      await sendSteps(learner, textsFor(lang, channel), course().assessment, plan.path, plan.sends);
      await learner.sendAll(MENU_PROGRESS, 'AYUDA', 'ZEBRA');
      const ucs2 = learner.history
        .flatMap((turn) => turn.messages)
        .map((text) => ({ text, nonGsm: new SegmentedMessage(text).getNonGsmCharacters() }))
        .filter((m) => m.nonGsm.length > 0);
      expect(ucs2).toEqual([]);
    });
  }
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
  const x = textsFor(k.lang, k.channel);

  it(`${k.help.join(' and ')} answer with help and leave the lesson where it was`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);
    const [, first] = await learner.sendAll(L.sectionNumber, L.number);
    expect(first?.text).toContain(x.step(FLOW, L.path[0] as Step));
    const before = await readSession(redis, prefix, learner.phone);

    for (const word of k.help) {
      const help = await learner.send(word);
      expect(help.messages, word).toEqual([x.s('common:help')]);
    }
    const after = await readSession(redis, prefix, learner.phone);
    expect(after.snapshot.value).toEqual(before.snapshot.value);
    expect(after.turns).toBe(before.turns + k.help.length);

    // The help left the learner where they were: what they send next goes on from there.
    const shown = first!.text;
    const at = L.path.findLast((step) => shown.includes(x.step(FLOW, step))) as Step;
    const following = L.path[L.path.indexOf(at) + 1] as Step;
    const next = await learner.send(rightAnswer(at));
    expect(next.text).toContain(x.step(FLOW, following));
  });

  it(`${k.language} switches to ${k.switchTo} and keeps the progress`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);
    await finishLesson(learner, x);
    await learner.sendAll('MENU');

    const choose = await learner.send(k.language);
    expect(choose.text.split('\n')).toEqual(
      expect.arrayContaining(['1 Español', '2 Aymar aru', '3 Runa simi']),
    );

    const other = textsFor(k.switchTo, k.channel);
    const switched = await learner.send(LANGUAGE_CHOICE[k.switchTo]);
    expect(switched.text).toContain(other.s('common:language_changed'));
    expect(switched.text).toContain(other.s('common:menu'));

    const progress = await learner.send(MENU_PROGRESS);
    expect(progress.text).toContain(other.progressLine(L.section, 1, L.questions, L.questions));
    expect(progress.text).toContain(other.s('common:progress_no_feasibility'));
    const session = await readSession(redis, prefix, learner.phone);
    expect((session.snapshot.context as { lang: string }).lang).toBe(k.switchTo);
  });

  it(`${k.stop} opts out, later messages get an empty reply, ${k.start} brings them back`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);

    const stopped = await learner.send(k.stop);
    expect(stopped.messages).toEqual([x.s('common:stopped')]);
    expect((await readSession(redis, prefix, learner.phone)).optedOut).toBe(true);

    for (const body of ['Hola', '1', MENU_PROGRESS]) {
      const silent = await learner.send(body);
      expect(silent.status).toBe(200);
      expect(silent.body).toMatch(/<Response\/>$/);
      expect(silent.messages).toEqual([]);
    }

    const back = await learner.send(k.start);
    expect(back.text).toContain(x.s('common:restarted'));
    expect(back.text).toContain(x.s('common:menu'));
    expect((await readSession(redis, prefix, learner.phone)).optedOut).toBe(false);
    const progress = await learner.send(MENU_PROGRESS);
    expect(progress.text).toContain(x.progressLine(L.section, 0, 0, 0));
  });

  it(`${k.remove} deletes the learner's data and the next message starts over`, async () => {
    const learner = newLearner(k.channel);
    await atMenu(learner, k.lang);
    await learner.sendAll(L.sectionNumber, L.number, '1');
    const id = learnerId(learner.phone);
    expect(await redis.exists(sessionKey(prefix, learner.phone))).toBe(1);
    expect(await redis.sismember(new Keyspace(prefix).learnerIndex(id), id)).toBe(1);

    const deleted = await learner.send(k.remove);
    expect(deleted.messages).toEqual([x.s('common:deleted')]);
    expect(await redis.exists(sessionKey(prefix, learner.phone), lockKey(prefix, learner.phone))).toBe(0);
    expect(await redis.sismember(new Keyspace(prefix).learnerIndex(id), id)).toBe(0);
    // Nothing else under the prefix carries this learner's id, but the replay log that BORRAR
    // keeps (Keyspace.replayLog: fingerprints of the message ids handled, so none acts again).
    expect(await redis.keys(`${prefix}*${id}*`)).toEqual([new Keyspace(prefix).replayLog(id)]);

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
  // (the Dockerfile sets it; README: the learners' day): a learner who took the check on the
  // evening of 2 March must not be told they took it on 3 March.
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
    const steps = stepPath(course().assessment);
    await learner.sendAll('Hola', '1', MENU_ASSESSMENT, ...steps.map(() => '1'));
    const progress = await learner.send(MENU_PROGRESS);
    expect(progress.text).toContain('(2026-03-02)');
    expect(progress.text).not.toContain('(2026-03-03)');
  });
});
