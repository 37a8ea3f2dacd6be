/**
 * The words learners type (locales/<lang>/words.yaml), normalized once at load so that every
 * incoming message costs only set lookups.
 *
 * Keywords and yes/no are accepted in every language whatever the learner chose: people switch
 * languages mid-conversation, share phones, and reply in whatever their keyboard suggests. The
 * per-language sets are still kept so a parser can prefer the learner's own language when two
 * languages disagree about a word.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { LANGUAGES, wordsFile, type Language, type WordsFile } from '../content/locale-schema.js';
import { matchKey } from './normalize.js';

export const MEANINGS = [
  'menu',
  'help',
  'language',
  'stop',
  'start',
  'delete',
  'yes',
  'no',
  'join',
  'leave',
  'group',
  'quiz',
  'notice',
  'correct',
  'name',
] as const;
export type Meaning = (typeof MEANINGS)[number];

/** Keys made by matchKey(): normalized words, or symbol keys for entries such as '?'. */
export type WordSet = ReadonlySet<string>;

export interface LanguageWords {
  readonly meanings: Readonly<Record<Meaning, WordSet>>;
  /** numbers[0] holds the words for 1, numbers[1] for 2, ... */
  readonly numbers: readonly WordSet[];
}

export interface Lexicon {
  readonly byLanguage: Readonly<Record<Language, LanguageWords>>;
  /** The union of all languages. */
  readonly all: LanguageWords;
  /**
   * Words that mean different things (in one language or across languages), e.g. a word that is
   * "menu" in one locale and "stop" in another. Loading does not fail on them, because parsers
   * resolve them deterministically, but a content check should show them to the translators.
   */
  readonly conflicts: readonly string[];
}

type WordList = WordsFile['menu'];

/** Draft words count too: a draft word a learner types is still better understood than not. */
function wordsOf(list: WordList): readonly string[] {
  return Array.isArray(list) ? list : list.words;
}

function keySet(list: WordList): Set<string> {
  const keys = new Set<string>();
  for (const word of wordsOf(list)) {
    const key = matchKey(word);
    if (key) keys.add(key);
  }
  return keys;
}

/** Spelled out rather than built with Object.fromEntries, so the compiler checks every meaning. */
function perMeaning<T>(of: (meaning: Meaning) => T): Record<Meaning, T> {
  return {
    menu: of('menu'),
    help: of('help'),
    language: of('language'),
    stop: of('stop'),
    start: of('start'),
    delete: of('delete'),
    yes: of('yes'),
    no: of('no'),
    join: of('join'),
    leave: of('leave'),
    group: of('group'),
    quiz: of('quiz'),
    notice: of('notice'),
    correct: of('correct'),
    name: of('name'),
  };
}

function perLanguage<T>(of: (language: Language) => T): Record<Language, T> {
  return { es: of('es'), ay: of('ay'), qu: of('qu') };
}

function languageWords(file: WordsFile): LanguageWords {
  return { meanings: perMeaning((meaning) => keySet(file[meaning])), numbers: file.numbers.map(keySet) };
}

function union(sets: readonly (WordSet | undefined)[]): WordSet {
  const all = new Set<string>();
  for (const set of sets) for (const key of set ?? []) all.add(key);
  return all;
}

function findConflicts(byLanguage: Record<Language, LanguageWords>): string[] {
  const uses = new Map<string, Map<string, Language[]>>();
  const note = (key: string, meaning: string, language: Language): void => {
    const meanings = uses.get(key) ?? new Map<string, Language[]>();
    uses.set(key, meanings);
    meanings.set(meaning, [...(meanings.get(meaning) ?? []), language]);
  };
  for (const language of LANGUAGES) {
    const words = byLanguage[language];
    for (const meaning of MEANINGS) for (const key of words.meanings[meaning]) note(key, meaning, language);
    words.numbers.forEach((set, i) => {
      for (const key of set) note(key, `number ${i + 1}`, language);
    });
  }
  const conflicts: string[] = [];
  for (const [key, meanings] of uses) {
    if (meanings.size < 2) continue;
    const described = [...meanings].map(([meaning, langs]) => `${meaning} (${langs.join(', ')})`);
    conflicts.push(`"${key}": ${described.join(', ')}`);
  }
  return conflicts;
}

export function buildLexicon(files: Record<Language, WordsFile>): Lexicon {
  const byLanguage = perLanguage((language) => languageWords(files[language]));
  const each = LANGUAGES.map((language) => byLanguage[language]);
  const longest = Math.max(...each.map((words) => words.numbers.length));
  const all: LanguageWords = {
    meanings: perMeaning((meaning) => union(each.map((words) => words.meanings[meaning]))),
    numbers: Array.from({ length: longest }, (_, i) => union(each.map((words) => words.numbers[i]))),
  };
  return { byLanguage, all, conflicts: findConflicts(byLanguage) };
}

/** Reads and validates one words.yaml; every failure names the file. */
export function readWordsFile(file: string): WordsFile {
  let data: unknown;
  try {
    data = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${file}: cannot read words file: ${reason}`, { cause: error });
  }
  const result = wordsFile.safeParse(data);
  if (!result.success) {
    throw new Error(`${file}: invalid words file\n${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}

export function wordsFilePath(localesDir: string, language: Language): string {
  return path.join(localesDir, language, 'words.yaml');
}

/** All three languages are required: a missing one would silently ignore its keywords, STOP included. */
export function loadLexicon(localesDir: string): Lexicon {
  return buildLexicon(perLanguage((language) => readWordsFile(wordsFilePath(localesDir, language))));
}
