/** Reads learners' answers for the learner machine's guards, with options in their language. */
import type { Language } from '../content/locale-schema.js';
import type { AnswerReader } from '../flows/compile-machine.js';
import type { Translator } from '../i18n/translator.js';
import { readAmount } from './amount.js';
import { parseChoice, parseLanguageChoice } from './answers.js';
import type { Lexicon } from './lexicon.js';

export function createAnswerReader(translator: Translator, lexicon: Lexicon): AnswerReader {
  // Option labels are read on every guard check; their text only changes with a deploy.
  const labels = new Map<string, string[]>();
  const labelsFor = (keys: string[], lang: Language) => {
    const cacheKey = `${lang}|${keys.join('|')}`;
    let found = labels.get(cacheKey);
    if (!found) {
      found = keys.map((key) => translator.t(lang, key));
      labels.set(cacheKey, found);
    }
    return found;
  };
  // A step's guards ask about the same text and options several times in one transition.
  let last = { text: '', keys: [] as string[], lang: '' as Language | '', answer: null as number | null };
  return {
    choice: (text, optionKeys, lang) => {
      if (last.text === text && last.keys === optionKeys && last.lang === lang) return last.answer;
      const answer = parseChoice(
        text,
        { count: optionKeys.length, labels: labelsFor(optionKeys, lang) },
        lang,
        lexicon,
      );
      last = { text, keys: optionKeys, lang, answer };
      return answer;
    },
    number: (text, count, lang) => parseChoice(text, { count, labels: [] }, lang, lexicon),
    language: (text) => parseLanguageChoice(text, lexicon),
    amount: readAmount,
  };
}
