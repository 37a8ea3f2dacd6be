/**
 * i18next over the texts in locales/. Keys are flat (`ns:a.b`, keySeparator off) because the
 * loader has already flattened the YAML and kept each string's review status beside it.
 */
import i18next, { type i18n } from 'i18next';
import type { LocaleTable } from '../content/load-content.js';
import { LANGUAGES, SOURCE_LANGUAGE, type Language } from '../content/locale-schema.js';

export type TextVars = Record<string, string | number>;

export interface Translator {
  t(lang: Language, key: string, vars?: TextVars): string;
  has(lang: Language, key: string): boolean;
}

export function createTranslator(locales: Record<Language, LocaleTable>): Translator {
  const resources: Record<string, Record<string, Record<string, string>>> = {};
  const namespaces = new Set<string>();
  for (const lang of LANGUAGES) {
    const byNs: Record<string, Record<string, string>> = {};
    for (const [fullKey, entry] of locales[lang]) {
      const [ns, key] = splitKey(fullKey);
      namespaces.add(ns);
      (byNs[ns] ??= {})[key] = entry.text;
    }
    resources[lang] = byNs;
  }
  const instance: i18n = i18next.createInstance();
  void instance.init({
    resources,
    ns: [...namespaces],
    defaultNS: 'common',
    lng: SOURCE_LANGUAGE,
    // A missing Aymara or Quechua text falls back to Spanish rather than showing a key; the
    // content check reports the gap.
    fallbackLng: SOURCE_LANGUAGE,
    keySeparator: false,
    nsSeparator: ':',
    initAsync: false,
    // Replies are plain text; TwiML escaping happens when the reply is written.
    interpolation: { escapeValue: false },
    returnNull: false,
    // i18next otherwise prints an advertisement to stdout on start-up.
    showSupportNotice: false,
  });
  // Most texts have no variables and never change while the process runs: look each up once.
  // (i18next's lookup showed in the profile of a turn.)
  const fixed = new Map<string, string>();
  return {
    t: (lang, key, vars) => {
      if (vars) return instance.t(key, { lng: lang, ...vars });
      const id = `${lang}\u0000${key}`;
      let text = fixed.get(id);
      if (text === undefined) {
        text = instance.t(key, { lng: lang });
        fixed.set(id, text);
      }
      return text;
    },
    has: (lang, key) => instance.exists(key, { lng: lang, fallbackLng: false }),
  };
}

export function splitKey(fullKey: string): [ns: string, key: string] {
  const at = fullKey.indexOf(':');
  return [fullKey.slice(0, at), fullKey.slice(at + 1)];
}
