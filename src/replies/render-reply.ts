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

/** The texts of a reply; the same array may be handed out again, so nobody changes it. */
export type ReplyRenderer = (reply: Reply, lang: Language) => readonly string[];

/**
 * Every turn renders the same lesson steps and feedback again, and rendering one looks its step
 * up and fills in its texts. Those replies are written by the content alone, and the content and
 * its texts do not change while the renderer lives (new content makes a new runtime, and a new
 * renderer): each is rendered once per language.
 */
export function createReplyRenderer(course: Course, translator: Translator): ReplyRenderer {
  const render = rendererOf(course, translator);
  const known = new Map<string, readonly string[]>();
  return (reply, lang) => {
    const key = contentKeyOf(reply, lang);
    if (key === null) return render(reply, lang);
    let texts = known.get(key);
    if (!texts) {
      texts = Object.freeze(render(reply, lang));
      known.set(key, texts);
    }
    return texts;
  };
}

/**
 * What the text of a reply written by the content alone depends on, or null for a reply that
 * carries values of its own (a learner's score, a code, a group's name): those are rendered
 * every time, and their keys would grow with the learners. The renderer reads nothing else of
 * these replies.
 */
function contentKeyOf(reply: Reply, lang: Language): string | null {
  switch (reply.kind) {
    case 'welcome':
      return 'welcome';
    case 'text':
      return reply.vars ? null : `text\u0000${lang}\u0000${reply.key}`;
    case 'step':
      return `step\u0000${lang}\u0000${reply.flow}\u0000${reply.step}\u0000${reply.joined ? 'joined' : ''}`;
    case 'right':
    case 'wrong':
    case 'reveal':
    case 'reprompt':
      return `${reply.kind}\u0000${lang}\u0000${reply.flow}\u0000${reply.step}`;
    case 'amountReprompt':
      return `amountReprompt\u0000${lang}\u0000${reply.flow}\u0000${reply.step}\u0000${reply.problem}`;
    default:
      return null;
  }
}

function rendererOf(course: Course, translator: Translator): (reply: Reply, lang: Language) => string[] {
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
