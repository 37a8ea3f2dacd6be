/**
 * Measures every message Ayni can send, as it goes out on SMS (after the spelling policy), with
 * Twilio's segment calculator. A learner on SMS pays per segment: the budget is one segment for
 * Spanish and two for Aymara and Quechua, whose words run longer.
 */
import type { Language } from '../content/locale-schema.js';
import { LANGUAGES } from '../content/locale-schema.js';
import type { ContentRuntime } from '../plugins/content-runtime.js';
import type { Reply } from '../flows/reply.js';
import { qualifyKey, type Course } from '../flows/course.js';
import type { CalculationStep } from '../content/flow-schema.js';
import { segmentInfo, spellForChannel } from '../i18n/sms-spelling.js';

import { SEGMENT_BUDGET } from '../content/sms-budgets.js';

export { SEGMENT_BUDGET };
/** The first greeting carries a line in each language, so it gets the longer budget. */
export const WELCOME_BUDGET = 2;

export interface MeasuredMessage {
  lang: Language;
  /** the flow (or `common`) the message belongs to */
  flow: string;
  /** the text key that names it */
  key: string;
  /** what kind of reply it is: a step, feedback, a list... */
  kind: Reply['kind'];
  sms: string;
  segments: number;
  /** segments allowed */
  budget: number;
  encoding: string;
  /** characters as WhatsApp shows them */
  whatsappChars: number;
}

type ToMeasure = { flow: string; key: string; reply: Reply };

/** A reply measured under a text of common.yaml. */
const common = (key: string, reply: Reply): ToMeasure => ({ flow: 'common', key: `common:${key}`, reply });

/** The replies to measure: every step as shown, every feedback, and the shell's own texts. */
function repliesToMeasure({ course }: ContentRuntime): ToMeasure[] {
  return [...stepReplies(course), ...resultReplies(course), ...groupReplies(course), ...shellReplies(course)];
}

/** Every step of every flow, its feedback, and each lesson's closing message. */
function stepReplies(course: Course): ToMeasure[] {
  const list: ToMeasure[] = [];
  for (const flow of [...course.lessons, course.assessment]) {
    for (const step of flow.steps) {
      const at = { flow: flow.id, step: step.id };
      if (step.type === 'calculation') {
        list.push(...calculationReplies(flow.id, step));
        continue;
      }
      list.push({ flow: flow.id, key: qualifyKey(flow.id, step.text), reply: { kind: 'step', ...at } });
      if (step.type === 'number')
        for (const problem of ['nan', 'low', 'high'] as const)
          list.push(common(`amount.${problem}`, { kind: 'amountReprompt', ...at, problem }));
      if (step.type === 'question') {
        const key = qualifyKey(flow.id, step.explanation);
        list.push({ flow: flow.id, key, reply: { kind: 'right', ...at } });
        list.push({ flow: flow.id, key, reply: { kind: 'reveal', ...at } });
        if (step.hint)
          list.push({ flow: flow.id, key: qualifyKey(flow.id, step.hint), reply: { kind: 'wrong', ...at } });
      }
    }
    if (flow.kind === 'lesson') {
      const total = flow.steps.filter((s) => s.type === 'question').length;
      list.push({
        flow: flow.id,
        key: 'common:lesson_done',
        reply: { kind: 'lessonDone', flow: flow.id, score: total, total },
      });
    }
  }
  return list;
}

/** The calculator's answer for each verdict, with long figures (thousands and centavos). */
function calculationReplies(flow: string, step: CalculationStep): ToMeasure[] {
  const long = { fixed: 12_345.5, unit_cost: 1_234.5, capital: 123_456.5 };
  const cases: Record<keyof CalculationStep['verdicts'], Record<string, number>> = {
    loss_per_unit: { ...long, price: 1_000.25, sales: 1_000 },
    below_break_even: { ...long, price: 1_250.75, sales: 1 },
    covers: { ...long, price: 9_999.75, sales: 9_999 },
  };
  return Object.entries(cases).map(([verdict, figures]) => ({
    flow,
    key: qualifyKey(flow, step.verdicts[verdict as keyof CalculationStep['verdicts']]),
    reply: { kind: 'calculation', flow, step: step.id, figures },
  }));
}

/** The lesson lists, progress, the completion code and the assessment's result, all at their longest. */
function resultReplies(course: Course): ToMeasure[] {
  const all = course.lessons.map((l) => l.id);
  const done = Object.fromEntries(all.map((id) => [id, [3, 3] as [number, number]]));
  const worst = Object.fromEntries(course.assessment.areas.map((a) => [a.id, 0]));
  const best = Object.fromEntries(course.assessment.areas.map((a) => [a.id, 100]));
  // Two areas to work on and the others strong: the "conditional" verdict, which names both.
  const twoGaps = { ...best, ...Object.fromEntries(course.assessment.areas.slice(-2).map((a) => [a.id, 0])) };
  const list: ToMeasure[] = course.sections.flatMap((section) =>
    section.pages.map((_, page) => ({
      flow: 'common',
      key: `common:lessons_list (${section.id}, page ${page + 1})`,
      reply: { kind: 'lessons', section: section.id, page, done: all },
    })),
  );
  const cert = { code: 'AYNI-WWWW-WWWW', on: '2026-01-01' };
  list.push(
    common('progress', { kind: 'progress', done, feasibility: { areas: best, on: '2026-01-01' }, cert }),
    common('completed', { kind: 'completed', section: 'any', code: cert.code }),
    common('feasibility.gaps', { kind: 'feasibility', result: { areas: worst, on: '2026-01-01' } }),
    common('feasibility.strengths', { kind: 'feasibility', result: { areas: best, on: '2026-01-01' } }),
    common('feasibility.verdict.conditional', {
      kind: 'feasibility',
      result: { areas: twoGaps, on: '2026-01-01' },
    }),
    common('progress (conditional verdict)', {
      kind: 'progress',
      done,
      feasibility: { areas: twoGaps, on: '2026-01-01' },
      cert,
    }),
  );
  return list;
}

/** Group texts and quizzes, with the longest names and figures they can carry. */
function groupReplies(course: Course): ToMeasure[] {
  const name = 'G'.repeat(40);
  const code = 'K7P3QM';
  const top = ['1. …567 (12)', '2. …890 (11)', '3. …123 (10)'].join('\n');
  const longest = [...course.lessons].sort((a, b) => b.steps.length - a.steps.length)[0]!;
  const groupTexts: [string, Record<string, string | number>][] = [
    ['group_joined', { name, count: 50 }],
    ['group_already', { name }],
    ['group_full', { name }],
    ['group_left', { name }],
    ['group_created', { name, code }],
    ['member_joined', { who: '+591*****567', name, count: 50 }],
    ['member_left', { who: '+591*****567', name, count: 49 }],
    ['quiz_started', { group: name, total: 4, members: 50 }],
    ['quiz_running', { group: name }],
    ['quiz_no_lesson', { count: course.lessons.length }],
    ['notice_sent', { group: name, count: 50 }],
    ['notice_no_text', {}],
  ];
  return [
    ...groupTexts.map(([key, vars]) => common(key, { kind: 'text', key, vars })),
    ...course.lessons.map((lesson) =>
      common('quiz_start', { kind: 'quizStart', group: name, flow: lesson.id, total: 4 }),
    ),
    common('quiz_end', { kind: 'quizEnd', top, place: 50, count: 50, points: 4, total: 4, score: 100 }),
    common('quiz_summary', {
      kind: 'quizSummary',
      group: name,
      flow: longest.id,
      participants: 50,
      members: 50,
      score: 100,
      top,
    }),
    ...longest.steps
      .filter((s) => s.type === 'question')
      .map((step): ToMeasure => ({
        flow: longest.id,
        key: 'common:quiz_result',
        reply: { kind: 'quizResult', flow: longest.id, step: step.id, answered: 50, members: 50, right: 50 },
      })),
  ];
}

/** The shell's own texts: the greeting, keywords' answers, notices and reprompts. */
function shellReplies(course: Course): ToMeasure[] {
  const keys = [
    'choose_language',
    'menu',
    'help',
    'welcome_back',
    'language_changed',
    'stopped',
    'restarted',
    'deleted',
    'flow_changed',
    'flow_removed',
    'reprompt.language',
    'reprompt.continue',
    'coordinator_help',
    'group_not_found',
    'group_none',
    'quiz_received',
    'quiz_already',
    'draft_notice',
    'suggest_thanks',
    'suggest_how',
    'suggest_nothing',
    'suggest_capped',
  ];
  return [
    common('welcome', { kind: 'welcome' }),
    ...keys.map((key) => common(key, { kind: 'text', key })),
    common('reprompt.lessons', {
      kind: 'text',
      key: 'reprompt.lessons',
      vars: { count: course.lessons.length },
    }),
  ];
}

export function measureMessages(runtime: ContentRuntime): MeasuredMessage[] {
  const measured: MeasuredMessage[] = [];
  for (const lang of LANGUAGES) {
    for (const { flow, key, reply } of repliesToMeasure(runtime)) {
      for (const text of runtime.render(reply, lang)) {
        const sms = spellForChannel(text, lang, 'sms', runtime.spelling);
        const info = segmentInfo(sms);
        measured.push({
          lang,
          flow,
          key,
          kind: reply.kind,
          sms,
          segments: info.segments,
          budget: reply.kind === 'welcome' ? WELCOME_BUDGET : SEGMENT_BUDGET[lang],
          encoding: info.encoding,
          whatsappChars: [...spellForChannel(text, lang, 'whatsapp', runtime.spelling)].length,
        });
      }
    }
  }
  return measured;
}
