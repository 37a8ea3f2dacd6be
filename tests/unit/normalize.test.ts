import { describe, expect, it } from 'vitest';
import { matchKey, normalizeText, symbolKey } from '../../src/reading/normalize.js';

describe('normalizeText', () => {
  it.each([
    // numbers as learners send them
    [' 1.', '1'],
    ['1)', '1'],
    ['2 ', '2'],
    ['#2', '2'],
    ['1️⃣', '1'],
    ['3⃣', '3'], // keycap without the variation selector, as some keyboards send it
    ['🔟', '10'],
    ['１', '1'], // full-width digit
    ['opción 1', 'opcion 1'],
    // Spanish
    ['Sí!!', 'si'],
    ['SI 👍', 'si'],
    ['¿Sí?', 'si'],
    ['NO.', 'no'],
    ['Menú', 'menu'],
    [' Baja. ', 'baja'],
    ['Niño', 'nino'],
    ['pingüino', 'pinguino'],
    ['si,claro', 'si claro'],
    ['quiero   el\nmenú', 'quiero el menu'],
    // Aymara
    ['Jisa', 'jisa'],
    ['JANI!', 'jani'],
    ['mä', 'ma'],
    ['Jïwasa', 'jiwasa'],
    ["k'ita", "k'ita"],
    ['K’ITA', "k'ita"],
    ['kʼita', "k'ita"],
    ['k´ita', "k'ita"],
    ['k`ita', "k'ita"],
    ['Ch’uspa.', "ch'uspa"],
    // Quechua
    ['Allillanmi', 'allillanmi'],
    ['Ñuqa', 'nuqa'],
    ["'iskay'", 'iskay'], // quotes around a word are not ejectives
    ["jisa'", 'jisa'],
    // nothing left
    ['', ''],
    ['   ', ''],
    ['🙂', ''],
    ['?', ''],
    ['...', ''],
  ])('%j → %j', (raw, expected) => {
    expect(normalizeText(raw)).toBe(expected);
  });
});

describe('symbolKey and matchKey', () => {
  it.each([
    ['?', '?'],
    ['¿?', '?'],
    ['???', '?'],
    [' ? ', '?'],
    ['👍', '👍'],
    ['👍🏽', '👍'],
    ['👍👍', '👍'],
  ])('symbolKey(%j) → %j', (raw, expected) => {
    expect(symbolKey(raw)).toBe(expected);
  });

  it.each([
    ['Ayuda', 'ayuda'],
    ['?', '?'],
    ['¡SÍ!', 'si'],
    ['', ''],
  ])('matchKey(%j) → %j', (raw, expected) => {
    expect(matchKey(raw)).toBe(expected);
  });
});
