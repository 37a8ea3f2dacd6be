/**
 * A nudge's words: where the learner stopped and how to go on, in their language, spelled for
 * their channel (common.yaml `nudge.message` for a reading step, `nudge.question` for a step that
 * waits for an answer); and the same facts as the approved template's variables.
 */
import type { Language } from '../content/locale-schema.js';
import type { StoppedAt } from '../conversation/nudge-policy.js';
import { qualifyKey } from '../flows/course.js';
import { spellForChannel, type SpellingPolicy } from '../i18n/sms-spelling.js';
import type { Translator } from '../i18n/translator.js';
import type { OutboundTemplate } from '../messaging/outbound.js';

export interface NudgeWords {
  translator: Translator;
  spelling: SpellingPolicy;
  /** NUDGE_TEMPLATE_SID: sent on WhatsApp outside the 24-hour window */
  templateSid?: string;
}

export function nudgeBody(words: NudgeWords, lang: Language, at: StoppedAt, sms: boolean): string {
  const title = words.translator.t(lang, qualifyKey(at.flow.id, at.flow.title));
  const key = at.asks ? 'common:nudge.question' : 'common:nudge.message';
  const text = words.translator.t(lang, key, { title, step: at.step, steps: at.steps });
  return spellForChannel(text, lang, sms ? 'sms' : 'whatsapp', words.spelling);
}

/** The template and its variables: 1 the lesson's title, 2 the step, 3 the steps. */
export function nudgeTemplate(
  words: NudgeWords,
  lang: Language,
  at: StoppedAt,
): OutboundTemplate | undefined {
  if (!words.templateSid) return undefined;
  const title = words.translator.t(lang, qualifyKey(at.flow.id, at.flow.title));
  return {
    contentSid: words.templateSid,
    variables: { '1': title, '2': String(at.step), '3': String(at.steps) },
  };
}
