import { describe, expect, it } from 'vitest';
import type { Language, WordsFile } from '../../src/content/locale-schema.js';
import { parseChoice, parseLanguageChoice, type Choice } from '../../src/reading/answers.js';
import { buildLexicon, readWordsFile, wordsFilePath } from '../../src/reading/lexicon.js';

// The real words files of all three languages.
function wordsFor(language: Language): WordsFile {
  const file = wordsFilePath('locales', language);
  return readWordsFile(file);
}

const lexicon = buildLexicon({ es: wordsFor('es'), ay: wordsFor('ay'), qu: wordsFor('qu') });

const KINDS: Choice = { count: 3, labels: ['Una cooperativa', 'Una empresa privada', 'Una asociación'] };
const FIVE: Choice = { count: 5, labels: ['Vendedora', 'Minero', 'Chofer', 'Agricultora', 'Otro'] };
const SI_NO: Choice = { count: 2, labels: ['Sí', 'No'] };
const JISA_JANI: Choice = { count: 2, labels: ['Jisa', 'Jani'] };
const NOT_YES_NO: Choice = { count: 2, labels: ['Juntos', 'Solos'] };
const SHARED_WORD: Choice = { count: 2, labels: ['Cooperativa de ahorro', 'Cooperativa de trabajo'] };
const NUMBER_LABELS: Choice = { count: 2, labels: ['Tres personas', 'Cinco personas'] };
const NUMBER_IN_LABEL: Choice = { count: 2, labels: ['Juntar a dos socios', 'Trabajar solo'] };

describe('parseChoice understands', () => {
  it.each<[string, Choice, Language, number]>([
    // digits, however typed
    ['1', KINDS, 'es', 1],
    [' 1.', KINDS, 'es', 1],
    ['1)', KINDS, 'es', 1],
    ['2 ', KINDS, 'es', 2],
    ['#2', KINDS, 'es', 2],
    ['2️⃣', KINDS, 'es', 2],
    ['3⃣', KINDS, 'es', 3],
    ['opción 2', KINDS, 'es', 2],
    ['Opcion 3', KINDS, 'es', 3],
    ['opcion3', KINDS, 'es', 3],
    ['la 2', KINDS, 'es', 2],
    ['5', FIVE, 'qu', 5],
    // letters within count
    ['a', KINDS, 'es', 1],
    ['B)', KINDS, 'es', 2],
    ['c.', KINDS, 'es', 3],
    ['opción b', KINDS, 'es', 2],
    ['e', FIVE, 'es', 5],
    // number words in the learner's language and the others
    ['uno', KINDS, 'es', 1],
    ['Dos', KINDS, 'es', 2],
    ['TRES', KINDS, 'es', 3],
    ['la primera', KINDS, 'es', 1],
    ['opción dos', KINDS, 'es', 2],
    ['maya', KINDS, 'ay', 1],
    ['paya', KINDS, 'ay', 2],
    ['kimsa', KINDS, 'ay', 3],
    ['mä', KINDS, 'ay', 1],
    ['pusi', FIVE, 'ay', 4],
    ['phisqa', FIVE, 'ay', 5],
    ['huk', KINDS, 'qu', 1],
    ['iskay', KINDS, 'qu', 2],
    ['kimsa', KINDS, 'qu', 3],
    ['tawa', FIVE, 'qu', 4],
    ['pichqa', FIVE, 'qu', 5],
    ['maya', KINDS, 'es', 1],
    ['iskay', KINDS, 'ay', 2],
    ['dos', KINDS, 'qu', 2],
    ['cuatro', FIVE, 'ay', 4],
    // the option's own text
    ['Una cooperativa', KINDS, 'es', 1],
    ['una asociacion', KINDS, 'es', 3],
    ['UNA EMPRESA PRIVADA!', KINDS, 'es', 2],
    ['cooperativa', KINDS, 'es', 1],
    ['privada', KINDS, 'es', 2],
    ['asociación', KINDS, 'es', 3],
    ['chofer', FIVE, 'es', 3],
    ['ahorro', SHARED_WORD, 'es', 1],
    ['trabajo', SHARED_WORD, 'es', 2],
    // a number word beyond count may be a label's word; in range, the number wins
    ['tres', NUMBER_LABELS, 'es', 1],
    ['cinco', NUMBER_LABELS, 'es', 2],
    ['dos', NUMBER_IN_LABEL, 'es', 2],
    ['una', KINDS, 'es', 1], // a number word, also in every label
    // yes / no in any language
    ['si', SI_NO, 'es', 1],
    ['Sí', SI_NO, 'es', 1],
    ['SI', SI_NO, 'es', 1],
    ['sí!!', SI_NO, 'es', 1],
    ['SI 👍', SI_NO, 'es', 1],
    ['¿Sí?', SI_NO, 'es', 1],
    ['ok', SI_NO, 'es', 1],
    ['claro', SI_NO, 'es', 1],
    ['jisa', SI_NO, 'es', 1],
    ['Jisa', SI_NO, 'ay', 1],
    ['no', SI_NO, 'es', 2],
    ['NO.', SI_NO, 'es', 2],
    ['jani', SI_NO, 'es', 2],
    ['1', SI_NO, 'es', 1],
    ['2', SI_NO, 'es', 2],
    ['b', SI_NO, 'es', 2],
    ['si', JISA_JANI, 'ay', 1],
    ['jisa', JISA_JANI, 'ay', 1],
    ['JANI', JISA_JANI, 'ay', 2],
    ['no', JISA_JANI, 'ay', 2],
    ['maya', JISA_JANI, 'ay', 1],
    ['jisa', SI_NO, 'qu', 1],
  ])('%j for %j in %s → %i', (text, choice, language, expected) => {
    expect(parseChoice(text, choice, language, lexicon)).toBe(expected);
  });
});

describe('parseChoice does not guess', () => {
  it.each<[string, Choice, Language]>([
    ['7', KINDS, 'es'],
    ['0', KINDS, 'es'],
    ['4', KINDS, 'ay'],
    ['12', KINDS, 'es'],
    ['1 2', KINDS, 'es'],
    ['1 o 2', KINDS, 'es'],
    ['d', KINDS, 'es'],
    ['z', FIVE, 'es'],
    ['cuatro', KINDS, 'es'],
    ['pusi', KINDS, 'ay'],
    ['tawa', KINDS, 'qu'],
    ['3', SI_NO, 'es'],
    ['c', SI_NO, 'es'],
    ['hola', KINDS, 'es'],
    ['Kamisaki', KINDS, 'ay'],
    ['Allillanchu', KINDS, 'qu'],
    ['', KINDS, 'es'],
    ['   ', KINDS, 'es'],
    ['🙂', KINDS, 'es'],
    ['?', KINDS, 'es'],
    ['quiero el menu', KINDS, 'es'],
    ['si', NOT_YES_NO, 'es'],
    ['no', NOT_YES_NO, 'es'],
    ['jisa', NOT_YES_NO, 'ay'],
    ['tal vez', SI_NO, 'es'],
    ['cooperativa', SHARED_WORD, 'es'], // in both labels
    ['de', SHARED_WORD, 'es'], // too short to be a label word
    ['personas', NUMBER_LABELS, 'es'],
    ['x', KINDS, 'es'],
  ])('%j for %j in %s → null', (text, choice, language) => {
    expect(parseChoice(text, choice, language, lexicon)).toBeNull();
  });
});

describe('parseLanguageChoice', () => {
  it.each<[string, Language]>([
    ['1', 'es'],
    [' 2.', 'ay'],
    ['3)', 'qu'],
    ['3️⃣', 'qu'],
    ['opción 2', 'ay'],
    ['uno', 'es'],
    ['dos', 'ay'],
    ['tres', 'qu'],
    ['maya', 'es'],
    ['paya', 'ay'],
    ['kimsa', 'qu'],
    ['huk', 'es'],
    ['iskay', 'ay'],
    ['Español', 'es'],
    ['espanol', 'es'],
    ['CASTELLANO', 'es'],
    ['Spanish', 'es'],
    ['es', 'es'],
    ['Aymara', 'ay'],
    ['aymar aru', 'ay'],
    ['Aymar Aru!', 'ay'],
    ['aimara', 'ay'],
    ['ay', 'ay'],
    ['Quechua', 'qu'],
    ['runa simi', 'qu'],
    ['Qhichwa', 'qu'],
    ['quichua', 'qu'],
    ['kichwa', 'qu'],
    ['QU', 'qu'],
  ])('%j → %s', (text, expected) => {
    expect(parseLanguageChoice(text)).toBe(expected);
  });

  it.each(['4', '0', '', '🙂', 'hola', 'ingles', 'cuatro', 'quiero aymara'])('%j → null', (text) => {
    expect(parseLanguageChoice(text)).toBeNull();
  });

  it('also reads number words from a lexicon', () => {
    expect(parseLanguageChoice('segunda', lexicon)).toBe('ay');
    expect(parseLanguageChoice('segunda')).toBeNull();
  });
});
