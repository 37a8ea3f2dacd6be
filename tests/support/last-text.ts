// What CORREGIR points at is the text a learner last received. On WhatsApp, reading ahead sends
// several steps of a lesson in one turn, so a test reads which step came last off the messages
// the learner got, rather than assuming a number of steps per turn.
import type { Language } from '../../src/content/locale-schema.js';
import { spellForChannel } from '../../src/i18n/sms-spelling.js';
import { realContent } from './content.js';

export interface LessonText {
  /** the text key as the session keeps it: `<flow>:<key>` */
  key: string;
  /** the step's index in the lesson */
  index: number;
}

/** The lesson's step whose text comes last in `messages`, rendered for the learner's channel. */
export function lastLessonText(
  messages: string[],
  lang: Language,
  channel: 'sms' | 'whatsapp',
  flowId: string,
): LessonText {
  const { course, translator } = realContent();
  const flow = course.flow(flowId);
  if (!flow) throw new Error(`no flow ${flowId}`);
  const received = messages.join('\n');
  let last: LessonText | undefined;
  let lastAt = -1;
  for (const [index, step] of flow.steps.entries()) {
    if (!('text' in step) || typeof step.text !== 'string') continue;
    const key = `${flowId}:${step.text}`;
    const at = received.lastIndexOf(spellForChannel(translator.t(lang, key), lang, channel));
    if (at > lastAt) [last, lastAt] = [{ key, index }, at];
  }
  if (!last) throw new Error(`none of ${flowId}'s texts in ${lang} is among: ${received}`);
  return last;
}
