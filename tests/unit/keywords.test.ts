import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, type Language, type WordsFile } from '../../src/content/locale-schema.js';
import { detectKeyword, KEYWORDS, type Keyword } from '../../src/reading/keywords.js';
import { buildLexicon, loadLexicon, readWordsFile, wordsFilePath } from '../../src/reading/lexicon.js';
import { matchKey, normalizeText } from '../../src/reading/normalize.js';

// Small inline words files for tests that need words the real files may not have (or must not).
const FIXTURES: Record<'ay' | 'qu', WordsFile> = {
  ay: {
    menu: ['menu'],
    help: ['yanapa'],
    language: ['aru'],
    stop: ['stop'],
    start: ['start'],
    delete: ['borrar'],
    yes: ['jisa'],
    no: ['jani'],
    join: ['unirme'],
    leave: ['salir'],
    group: [],
    quiz: [],
    notice: [],
    correct: [],
    name: [],
    numbers: [['maya', 'mä'], ['paya', 'pä'], ['kimsa'], ['pusi'], ['phisqa']],
  },
  qu: {
    menu: ['menu'],
    help: { words: ['yanapay'], status: 'draft' },
    language: ['simi'],
    stop: ['stop'],
    start: ['start'],
    delete: ['borrar'],
    yes: ['arí'],
    no: ['mana'],
    join: ['unirme'],
    leave: ['salir'],
    group: [],
    quiz: [],
    notice: [],
    correct: [],
    name: [],
    numbers: [['huk'], ['iskay'], ['kimsa'], ['tawa'], ['pichqa']],
  },
};

function wordsFor(language: Language): WordsFile {
  const file = wordsFilePath('locales', language);
  return readWordsFile(file);
}

const files: Record<Language, WordsFile> = { es: wordsFor('es'), ay: wordsFor('ay'), qu: wordsFor('qu') };
const lexicon = buildLexicon(files);

describe('detectKeyword', () => {
  it.each<[string, Keyword]>([
    ['MENU', 'menu'],
    ['menú', 'menu'],
    ['Menu.', 'menu'],
    ['inicio', 'menu'],
    ['volver', 'menu'],
    ['AYUDA', 'help'],
    ['ayuda?', 'help'],
    ['HELP', 'help'],
    ['info', 'help'],
    ['?', 'help'],
    ['¿?', 'help'],
    ['IDIOMA', 'language'],
    ['Lang', 'language'],
    ['STOP', 'stop'],
    ['Stop!', 'stop'],
    [' Baja. ', 'stop'],
    ['BAJA', 'stop'],
    ['unsubscribe', 'stop'],
    ['START', 'start'],
    ['alta', 'start'],
    ['Volver a empezar', 'start'],
    ['borrar', 'delete'],
    ['BORRAR DATOS', 'delete'],
    ['Borrar todo!', 'delete'],
  ])('%j → %s', (text, expected) => {
    expect(detectKeyword(text, lexicon)).toBe(expected);
  });

  it.each([
    'quiero el menu',
    'menu por favor',
    'no quiero baja',
    'borrar mis datos ahora',
    'hola',
    'Kamisaki',
    'Allillanchu',
    '',
    '   ',
    '🙂',
    '1',
    'si',
    'no',
    'jisa',
  ])('%j is not a keyword', (text) => {
    expect(detectKeyword(text, lexicon)).toBeNull();
  });

  // Every keyword word of every language works whatever language the learner chose, which is why
  // detectKeyword takes no language.
  const everyWord = LANGUAGES.flatMap((language) =>
    KEYWORDS.flatMap((keyword) => {
      const list = files[language][keyword];
      const words = Array.isArray(list) ? list : list.words;
      return words.map((word) => [language, word, keyword] as const);
    }),
  ).filter(([, word]) => !lexicon.conflicts.some((conflict) => conflict.startsWith(`"${matchKey(word)}"`)));

  it.each(everyWord)('%s word %j → %s', (_language, word, keyword) => {
    expect(detectKeyword(word, lexicon)).toBe(keyword);
    // Punctuation around a word is noise; a symbol entry such as '?' is itself the word.
    if (normalizeText(word)) expect(detectKeyword(` ${word.toUpperCase()}! `, lexicon)).toBe(keyword);
  });
});

describe('lexicon', () => {
  it('gives no word two meanings across the words files', () => {
    expect(lexicon.conflicts).toEqual([]);
  });

  it('loads all three locales from locales/', () => {
    const loaded = loadLexicon('locales');
    expect(loaded.byLanguage.es.meanings.stop.has('baja')).toBe(true);
    expect(loaded.all.meanings.yes.has('si')).toBe(true);
  });

  it('reports a word with two meanings and resolves it toward stop', () => {
    const clash = buildLexicon({ es: files.es, ...FIXTURES, qu: { ...FIXTURES.qu, menu: ['Baja'] } });
    expect(clash.conflicts).toEqual(['"baja": stop (es), menu (qu)']);
    expect(detectKeyword('baja', clash)).toBe('stop');
  });

  it('keeps per-language sets beside the union', () => {
    const fixtures = buildLexicon({ es: files.es, ...FIXTURES });
    expect(fixtures.byLanguage.ay.meanings.yes.has('jisa')).toBe(true);
    expect(fixtures.byLanguage.es.meanings.yes.has('jisa')).toBe(false);
    expect(fixtures.all.meanings.yes).toEqual(
      new Set([...fixtures.byLanguage.es.meanings.yes, 'jisa', 'ari']),
    );
    expect(fixtures.all.numbers[0]?.has('huk')).toBe(true);
    expect(fixtures.all.numbers[0]?.has('ma')).toBe(true);
  });

  it('names the file when a words file is invalid', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ayni-words-'));
    for (const language of LANGUAGES) {
      mkdirSync(path.join(dir, language));
      writeFileSync(path.join(dir, language, 'words.yaml'), 'menu: [menu]\n');
    }
    const broken = path.join(dir, 'es', 'words.yaml');
    expect(() => loadLexicon(dir)).toThrow(broken);
    expect(() => loadLexicon(dir)).toThrow(/invalid words file/);
  });

  it('names the file when a words file is missing or not YAML', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ayni-words-'));
    expect(() => loadLexicon(dir)).toThrow(path.join(dir, 'es', 'words.yaml'));
    mkdirSync(path.join(dir, 'es'));
    writeFileSync(path.join(dir, 'es', 'words.yaml'), 'menu: [menu\n');
    expect(() => readWordsFile(path.join(dir, 'es', 'words.yaml'))).toThrow(/es\/words\.yaml: cannot read/);
  });
});
