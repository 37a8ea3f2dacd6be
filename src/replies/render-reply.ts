/**
 * Turns the machine's Reply descriptors into text in the learner's language. This is the only
 * place that decides how a step looks as a message (options numbered, "send 1 to go on").
 */
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import { findStep, qualifyKey, type Course } from '../flows/course.js';
import type { Reply } from '../flows/reply.js';
import { GAP_BELOW, STRENGTH_FROM } from '../flows/score-assessment.js';
import type { Translator } from '../i18n/translator.js';

export type ReplyRenderer = (reply: Reply, lang: Language) => string[];

export function createReplyRenderer(course: Course, translator: Translator): ReplyRenderer {
  const t = translator.t;
  const common = (lang: Language, key: string, vars?: Record<string, string | number>) =>
    t(lang, `common:${key}`, vars);

  const choices = (lang: Language, count: number) => {
    const numbers = Array.from({ length: count }, (_, i) => String(i + 1));
    return common(lang, 'choices_or', { list: numbers.slice(0, -1).join(', '), last: numbers.at(-1) ?? '1' });
  };

  const stepOf = (flowId: string, stepId: string) => {
    const flow = course.flow(flowId);
    const found = flow && findStep(flow, stepId);
    if (!flow || !found) throw new Error(`unknown step ${flowId}/${stepId}`);
    return { flow, step: found.step, key: (k: string) => qualifyKey(flow.id, k) };
  };

  const titleOf = (flowId: string, lang: Language) => {
    const flow = course.flow(flowId);
    return flow ? t(lang, qualifyKey(flow.id, flow.title)) : flowId;
  };

  const tidy = (text: string) => text.replace(/ {2,}/g, ' ').trim();

  return (reply, lang) => {
    switch (reply.kind) {
      case 'welcome':
        return [LANGUAGES.map((each) => common(each, 'welcome')).join('\n')];
      case 'text':
        return [common(lang, reply.key, reply.vars)];
      case 'step': {
        const { step, key } = stepOf(reply.flow, reply.step);
        if (step.type === 'message') return [`${t(lang, key(step.text))}\n${common(lang, 'continue')}`];
        const optionKeys = step.type === 'question' ? step.options : step.options.map((o) => o.text);
        const options = optionKeys.map((k, i) =>
          common(lang, 'question_options', { number: i + 1, option: t(lang, key(k)) }),
        );
        return [[t(lang, key(step.text)), ...options].join('\n')];
      }
      case 'right':
      case 'wrong':
      case 'reveal':
      case 'reprompt': {
        const { step, key } = stepOf(reply.flow, reply.step);
        if (step.type === 'message') return [common(lang, 'reprompt.continue')];
        if (reply.kind === 'reprompt' || step.type === 'rating') {
          return [common(lang, 'reprompt.choice', { choices: choices(lang, step.options.length) })];
        }
        const explanation = t(lang, key(step.explanation));
        if (reply.kind === 'right') return [common(lang, 'right', { explanation })];
        if (reply.kind === 'reveal') return [common(lang, 'reveal', { number: step.answer, explanation })];
        return [tidy(common(lang, 'wrong', { hint: step.hint ? t(lang, key(step.hint)) : '' }))];
      }
      case 'lessons': {
        const section = course.sections.find((s) => s.id === reply.section);
        if (!section) throw new Error(`unknown section ${reply.section}`);
        const offset = section.pages.slice(0, reply.page).reduce((n, page) => n + page.length, 0);
        const lines = (section.pages[reply.page] ?? []).map((flow, i) => {
          const mark = reply.done.includes(flow.id) ? ` ${common(lang, 'lesson_done_mark')}` : '';
          return `${offset + i + 1} ${t(lang, qualifyKey(flow.id, flow.title))}${mark}`;
        });
        if (section.pages.length > 1) lines.push(common(lang, 'more'));
        return [common(lang, 'lessons_list', { title: t(lang, section.title), list: lines.join('\n') })];
      }
      case 'quizStart':
        return [
          common(lang, 'quiz_start', {
            group: reply.group,
            title: titleOf(reply.flow, lang),
            total: reply.total,
          }),
        ];
      case 'quizResult': {
        const { step, key } = stepOf(reply.flow, reply.step);
        if (step.type !== 'question') throw new Error(`${reply.flow}/${reply.step} is not a question`);
        return [
          common(lang, 'quiz_result', { ...reply, number: step.answer }),
          t(lang, key(step.explanation)),
          common(lang, 'quiz_discuss'),
        ];
      }
      case 'quizEnd':
        return [common(lang, 'quiz_end', { ...reply })];
      case 'quizSummary':
        return [common(lang, 'quiz_summary', { ...reply, title: titleOf(reply.flow, lang) })];
      case 'completed':
        return [common(lang, 'completed', { code: reply.code })];
      case 'lessonDone': {
        const flow = course.flow(reply.flow);
        const title = flow ? t(lang, qualifyKey(flow.id, flow.title)) : reply.flow;
        return [common(lang, 'lesson_done', { title, score: reply.score, total: reply.total })];
      }
      case 'progress': {
        const sections = course.sections.map((section) => {
          const lessons = section.flows.filter((f) => f.kind === 'lesson');
          const finished = lessons.filter((f) => reply.done[f.id]);
          const [right, questions] = finished.reduce(
            ([r, q], f) => [r + (reply.done[f.id]?.[0] ?? 0), q + (reply.done[f.id]?.[1] ?? 0)],
            [0, 0],
          );
          return common(lang, 'progress_section', {
            title: t(lang, section.title),
            done: finished.length,
            total: lessons.length,
            right,
            questions,
          });
        });
        const feasibility = reply.feasibility
          ? common(lang, 'feasibility.summary_short', {
              percent: average(Object.values(reply.feasibility.areas)),
              date: reply.feasibility.on,
            })
          : common(lang, 'progress_no_feasibility');
        const lines = [common(lang, 'progress', { sections: sections.join('\n'), feasibility })];
        if (reply.cert) lines.push(common(lang, 'progress_code', { code: reply.cert.code }));
        return [lines.join('\n')];
      }
      case 'feasibility': {
        const assessment = course.assessment;
        const label = (areaLabel: string) => t(lang, qualifyKey(assessment.id, areaLabel));
        const areas = assessment.areas.map((area) => ({
          ...area,
          percent: reply.result.areas[area.id] ?? 0,
        }));
        const lines = areas.map((a) =>
          common(lang, 'feasibility.area_score', { label: label(a.label), percent: a.percent }),
        );
        const strengths = areas.filter((a) => a.percent >= STRENGTH_FROM);
        const gaps = areas.filter((a) => a.percent < GAP_BELOW).sort((a, b) => a.percent - b.percent);
        const summary = [
          strengths.length
            ? common(lang, 'feasibility.strengths', { list: strengths.map((a) => label(a.label)).join(', ') })
            : '',
          gaps.length
            ? common(lang, 'feasibility.gaps', { list: gaps.map((a) => label(a.label)).join(', ') })
            : common(lang, 'feasibility.no_gaps'),
        ].filter(Boolean);
        // Two next steps at most, each its own message: a learner on SMS pays for every segment.
        const nextSteps = gaps
          .slice(0, 2)
          .map((a) =>
            common(lang, 'feasibility.next_steps', { advice: t(lang, qualifyKey(assessment.id, a.advice)) }),
          );
        return [
          common(lang, 'feasibility.result', { areas: lines.join('\n') }),
          summary.join('\n'),
          ...nextSteps,
        ];
      }
    }
  };
}

function average(values: number[]): number {
  return values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0;
}
