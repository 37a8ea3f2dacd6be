/**
 * The translator bound to the course, as the reply renderers use it: the shell's own texts, a
 * flow's title, a step and its fully qualified keys, and "1, 2 or 3".
 */
import type { Language } from '../content/locale-schema.js';
import type { Step } from '../content/flow-schema.js';
import { findStep, qualifyKey, type Course } from '../flows/course.js';
import type { TextVars, Translator } from '../i18n/translator.js';

export interface Wording {
  course: Course;
  t: Translator['t'];
  /** a text from locales/<lang>/common.yaml */
  common(lang: Language, key: string, vars?: TextVars): string;
  /** "1, 2 or 3" for `count` numbered choices */
  choices(lang: Language, count: number): string;
  /** a step, and its keys qualified with its flow's id; throws on an unknown step */
  stepOf(flowId: string, stepId: string): { step: Step; key: (k: string) => string };
  /** a flow's title, or its id when the course has no such flow */
  titleOf(flowId: string, lang: Language): string;
}

export function createWording(course: Course, translator: Translator): Wording {
  const t = translator.t;
  const common = (lang: Language, key: string, vars?: TextVars) => t(lang, `common:${key}`, vars);
  return {
    course,
    t,
    common,
    choices(lang, count) {
      const numbers = Array.from({ length: count }, (_, i) => String(i + 1));
      return common(lang, 'choices_or', {
        list: numbers.slice(0, -1).join(', '),
        last: numbers.at(-1) ?? '1',
      });
    },
    stepOf(flowId, stepId) {
      const flow = course.flow(flowId);
      const found = flow && findStep(flow, stepId);
      if (!flow || !found) throw new Error(`unknown step ${flowId}/${stepId}`);
      return { step: found.step, key: (k: string) => qualifyKey(flow.id, k) };
    },
    titleOf(flowId, lang) {
      const flow = course.flow(flowId);
      return flow ? t(lang, qualifyKey(flow.id, flow.title)) : flowId;
    },
  };
}
