/** The first greeting and IDIOMA: both ask for a language and go on to the menu. */
import { say, text } from './transitions.js';

export function welcomeState() {
  return {
    entry: [say({ kind: 'welcome' }), text('choose_language')],
    on: {
      TEXT: [
        { guard: 'isLanguageChoice', actions: ['setLanguage'], target: 'menu' },
        { actions: [text('reprompt.language')] },
      ],
    },
  };
}

export function languageState() {
  return {
    entry: [text('choose_language')],
    on: {
      TEXT: [
        { guard: 'isLanguageChoice', actions: ['setLanguage', text('language_changed')], target: 'menu' },
        { actions: [text('reprompt.language')] },
      ],
    },
  };
}
