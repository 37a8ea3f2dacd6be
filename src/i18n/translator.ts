/**
 * i18next over the texts in locales/. Keys are flat (`ns:a.b`, keySeparator off) because the
 * loader has already flattened the YAML and kept each string's review status beside it.
 *
 * i18next only finds a text (with the fallback to Spanish); Ayni fills in its `{{name}}`
 * placeholders itself. The values are often what a person typed (a group's name, an AVISO's text),
 * and i18next reads values as templates: it replaces the first `{{code}}` in the string, which
 * may be the one inside a group's name, and it would run a `$t(…)` a value brings. Filling in in
 * one pass, with each value taken as it is, shows a person exactly what they wrote.
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
    returnNull: false,
    // i18next otherwise prints an advertisement to stdout on start-up.
    showSupportNotice: false,
  });
  // A text never changes while the process runs: look each up once. (i18next's lookup showed in
  // the profile of a turn.)
  const templates = new Map<string, string>();
  const template = (lang: Language, key: string): string => {
    const id = `${lang}\u0000${key}`;
    let text = templates.get(id);
    if (text === undefined) {
      // The text as written, placeholders and all: fillIn does the rest.
      text = instance.t(key, { lng: lang, skipInterpolation: true });
      templates.set(id, text);
    }
    return text;
  };
  return {
    t: (lang, key, vars) => (vars ? fillIn(template(lang, key), vars) : template(lang, key)),
    has: (lang, key) => instance.exists(key, { lng: lang, fallbackLng: false }),
  };
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/g;

/**
 * Replaces each `{{name}}` of the template by its value, in one pass: a value is never searched
 * for placeholders, and `$&` or `$'` in it are plain text. A placeholder without a value stays.
 */
export function fillIn(template: string, vars: TextVars): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : whole,
  );
}

export function splitKey(fullKey: string): [ns: string, key: string] {
  const at = fullKey.indexOf(':');
  return [fullKey.slice(0, at), fullKey.slice(at + 1)];
}
