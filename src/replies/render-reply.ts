/**
 * Turns the machine's Reply descriptors into text in the learner's language. This is the only
 * place that decides how a reply looks as a message; the longer ones are written by
 * render-step.ts and render-results.ts.
 */
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import type { Course } from '../flows/course.js';
import type { Reply } from '../flows/reply.js';
import type { Translator } from '../i18n/translator.js';
import { feasibilityTexts, lessonsText, progressText } from './render-results.js';
import { amountRepromptText, calculationTexts } from './render-calculation.js';
import { feedbackText, stepText } from './render-step.js';
import { createWording } from './wording.js';

export type ReplyRenderer = (reply: Reply, lang: Language) => string[];

export function createReplyRenderer(course: Course, translator: Translator): ReplyRenderer {
  const w = createWording(course, translator);
  const { t, common, titleOf } = w;
  return (reply, lang) => {
    switch (reply.kind) {
      case 'welcome':
        return [LANGUAGES.map((each) => common(each, 'welcome')).join('\n')];
      case 'text':
        return [common(lang, reply.key, reply.vars)];
      case 'step':
        return [stepText(reply, lang, w)];
      case 'right':
      case 'wrong':
      case 'reveal':
      case 'reprompt':
        return [feedbackText(reply, lang, w)];
      case 'amountReprompt':
        return [amountRepromptText(reply, lang, w)];
      case 'calculation':
        return calculationTexts(reply, lang, w);
      case 'lessons':
        return [lessonsText(reply, lang, w)];
      case 'quizStart':
        return [
          common(lang, 'quiz_start', {
            group: reply.group,
            title: titleOf(reply.flow, lang),
            total: reply.total,
          }),
        ];
      case 'quizResult': {
        const { step, key } = w.stepOf(reply.flow, reply.step);
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
        const title = titleOf(reply.flow, lang);
        return [common(lang, 'lesson_done', { title, score: reply.score, total: reply.total })];
      }
      case 'progress':
        return [progressText(reply, lang, w)];
      case 'feasibility':
        return feasibilityTexts(reply, lang, w);
    }
  };
}
