import { describe, expect, it } from 'vitest';
import type { Language } from '../../src/content/locale-schema.js';
import {
  DEFAULT_SPELLING_POLICY,
  segmentInfo,
  spellForChannel,
  type SpellingPolicy,
} from '../../src/i18n/sms-spelling.js';

const DOUBLE_I: SpellingPolicy = { ...DEFAULT_SPELLING_POLICY, aymaraLongI: 'double' };

describe('spellForChannel on every channel', () => {
  it.each<[string, Language, string]>([
    ['k’ita', 'ay', "k'ita"],
    ['kʼita', 'ay', "k'ita"],
    ['k´ita', 'qu', "k'ita"],
    ['‘llank’ay’', 'qu', "'llank'ay'"],
    ['“Ayni” significa ayuda mutua', 'es', '"Ayni" significa ayuda mutua'],
    ['„Ayni“', 'es', '"Ayni"'],
  ])('%j (%s) → %j on sms and whatsapp', (text, language, expected) => {
    expect(spellForChannel(text, language, 'sms')).toBe(expected);
    expect(spellForChannel(text, language, 'whatsapp')).toBe(expected);
  });
});

describe('spellForChannel on SMS', () => {
  it.each<[string, Language, string]>([
    // Spanish: á í ó ú lose the accent; é ñ ü ¿ ¡ are GSM-7 and stay
    ['¿Qué es una cooperación?', 'es', '¿Qué es una cooperacion?'],
    ['Canción, María, útil, más', 'es', 'Cancion, Maria, util, mas'],
    ['ÁREA ÍNDICE ÓRGANO ÚNICO', 'es', 'AREA INDICE ORGANO UNICO'],
    ['¡Niño, pingüino, café!', 'es', '¡Niño, pingüino, café!'],
    ['Elige tu idioma / Aru ajlliñamawa', 'es', 'Elige tu idioma / Aru ajlliñamawa'],
    // Aymara: ï loses its length mark, ä ü keep theirs
    ['Jïwasa', 'ay', 'Jiwasa'],
    ['JÏWASA', 'ay', 'JIWASA'],
    ['Jisa, mä, pä', 'ay', 'Jisa, mä, pä'],
    ['Kamisaki? Waliki. ¿Qué cooperativa?', 'ay', 'Kamisaki? Waliki. ¿Qué cooperativa?'],
    ['Kooperatiwa ¿Aymará?', 'ay', 'Kooperatiwa ¿Aymara?'],
    ['k’ita jïwasa', 'ay', "k'ita jiwasa"],
    // Quechua: like Spanish
    ['Allillanchu? Ñuqaqa allillanmi', 'qu', 'Allillanchu? Ñuqaqa allillanmi'],
    [
      'Cooperativa nisqa, ¿imataq chay kanqa? Kimsa opción',
      'qu',
      'Cooperativa nisqa, ¿imataq chay kanqa? Kimsa opcion',
    ],
    // punctuation pasted from word processors
    ['Espera… «ayni» – ayuda—mutua', 'es', 'Espera... "ayni" - ayuda-mutua'],
    ['10\u00A0Bs', 'es', '10 Bs'],
    // decomposed accents (o + combining acute) are composed first, then respelled
    ['cancio\u0301n', 'es', 'cancion'],
    ['ji\u0308wasa', 'ay', 'jiwasa'],
  ])('%j (%s) → %j', (text, language, expected) => {
    expect(spellForChannel(text, language, 'sms')).toBe(expected);
  });

  it.each<[string, string]>([
    ['Jïwasa', 'Jiiwasa'],
    ['JÏWASA', 'JIIWASA'],
    ['Jisa, mä', 'Jisa, mä'],
  ])('aymaraLongI double: %j → %j', (text, expected) => {
    expect(spellForChannel(text, 'ay', 'sms', DOUBLE_I)).toBe(expected);
  });

  it('leaves ï alone outside Aymara', () => {
    expect(spellForChannel('naïf', 'es', 'sms')).toBe('naïf');
  });

  it('follows a custom policy', () => {
    const keepAccents: SpellingPolicy = {
      ...DEFAULT_SPELLING_POLICY,
      sms: { ...DEFAULT_SPELLING_POLICY.sms, es: {} },
    };
    expect(spellForChannel('Canción’', 'es', 'sms', keepAccents)).toBe("Canción'");
  });
});

describe('spellForChannel on WhatsApp', () => {
  it.each<[string, Language, string]>([
    ['¿Qué es una cooperación?', 'es', '¿Qué es una cooperación?'],
    ['Jïwasa', 'ay', 'Jïwasa'],
    ['Kimsa opción', 'qu', 'Kimsa opción'],
    ['Espera…', 'es', 'Espera…'],
    ['cancio\u0301n', 'es', 'canción'],
  ])('%j (%s) keeps its spelling: %j', (text, language, expected) => {
    expect(spellForChannel(text, language, 'whatsapp')).toBe(expected);
  });
});

describe('segmentInfo', () => {
  const gsm = (length: number): string => 'Ayni coop '.repeat(40).slice(0, length);

  it.each<[string, number, 'GSM-7' | 'UCS-2']>([
    ['160 GSM-7 characters', 160, 'GSM-7'],
    ['161 GSM-7 characters', 161, 'GSM-7'],
    ['306 GSM-7 characters', 306, 'GSM-7'],
    ['307 GSM-7 characters', 307, 'GSM-7'],
  ])('%s', (_name, length, encoding) => {
    const info = segmentInfo(gsm(length));
    expect(info.encoding).toBe(encoding);
    expect(info.nonGsm).toEqual([]);
    expect(info.segments).toBe(length <= 160 ? 1 : Math.ceil(length / 153));
  });

  it('counts 70 UCS-2 characters as one segment and 71 as two', () => {
    expect(segmentInfo('ó'.repeat(70)).segments).toBe(1);
    expect(segmentInfo('ó'.repeat(71)).segments).toBe(2);
  });

  it('lists each character that forced UCS-2 once', () => {
    expect(segmentInfo('Canción y acción’')).toEqual({ segments: 1, encoding: 'UCS-2', nonGsm: ['ó', '’'] });
  });

  it.each(['ñ Ñ ü Ü ä Ä ö é É à è ì ò ù ¿ ¡ \' "'])('keeps %j in GSM-7', (text) => {
    expect(segmentInfo(text).encoding).toBe('GSM-7');
  });

  it('makes a Spanish text with ó GSM-7 on SMS but not on WhatsApp', () => {
    const text = '¿Qué es una cooperativa? Una organización de personas que se unen para trabajar juntas.';
    expect(segmentInfo(text).encoding).toBe('UCS-2');
    expect(segmentInfo(spellForChannel(text, 'es', 'sms'))).toEqual({
      segments: 1,
      encoding: 'GSM-7',
      nonGsm: [],
    });
    expect(segmentInfo(spellForChannel(text, 'es', 'whatsapp')).encoding).toBe('UCS-2');
  });

  it('saves segments: 100 characters with one "ó" cost two SMS, respelled only one', () => {
    const text = `Lección: ${'a'.repeat(91)}`;
    expect(segmentInfo(text).segments).toBe(2);
    expect(segmentInfo(spellForChannel(text, 'es', 'sms')).segments).toBe(1);
  });

  it.each<[Language, string]>([
    ['es', 'Canción, ÁREA, índice, órgano, ÚNICO, “Ayni” k’ita… «ayni» – fin'],
    ['ay', 'Jïwasa JÏWASA mä pä k’ita kʼanchay ¿Aymará? “Ayni”'],
    ['qu', 'Allillanchu, ñuqa, k´acha, opción, más'],
  ])('%s: every character the policy knows ends up in GSM-7 on SMS', (language, text) => {
    expect(segmentInfo(text).encoding).toBe('UCS-2');
    expect(segmentInfo(spellForChannel(text, language, 'sms')).nonGsm).toEqual([]);
    if (language === 'ay')
      expect(segmentInfo(spellForChannel(text, language, 'sms', DOUBLE_I)).nonGsm).toEqual([]);
  });
});
