/** The languages a native speaker reviews: every one but the Spanish source. */
import { LANGUAGES, SOURCE_LANGUAGE, type Language } from '../../content/locale-schema.js';

export const REVIEW_LANGUAGES = LANGUAGES.filter((l) => l !== SOURCE_LANGUAGE);

export function isReviewLanguage(value: string): value is Language {
  return (REVIEW_LANGUAGES as readonly string[]).includes(value);
}
