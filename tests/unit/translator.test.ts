// The translator fills in values as plain text: what a person typed (a group's name, an AVISO's
// text) is never read as a template, whatever template syntax it carries.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LocaleTable } from '../../src/content/load-content.js';
import type { Language } from '../../src/content/locale-schema.js';
import { createTranslator } from '../../src/i18n/translator.js';
import { realContent } from '../support/content.js';

function table(texts: Record<string, string>): LocaleTable {
  return new Map(
    Object.entries(texts).map(([key, text]) => [
      key,
      { text, status: 'reviewed', reviewer: 'test', file: 'common.yaml' },
    ]),
  );
}

const locales: Record<Language, LocaleTable> = {
  es: table({
    'common:menu': 'MENÚ',
    'common:created': 'Grupo {{name}} creado. Código: {{code}}. Envíen UNIRME {{code}}.',
    'common:notice': 'Aviso de {{group}}: {{text}}',
    'common:spaced': 'Hola {{ name }}, {{missing}}',
  }),
  ay: table({ 'common:notice': 'Yatiyawi {{group}}: {{text}}' }),
  qu: table({}),
};
const { t } = createTranslator(locales);

/** What coordinators might type: i18next's placeholders, unescaped form, nesting, nesting with options. */
const HOSTILE = [
  '{{code}}',
  '$t(common:menu)',
  '{{- x}}',
  '$t(x, {"a": "{{b}}"})',
  '{{name}}',
  '{{text}}',
  '$t(common:menu, {"name": "{{code}}"}) {{- code}}',
  "$& $' $` $$ $1",
  '{{',
  '}}',
];

describe('translator: values are text, never templates', () => {
  it.each(HOSTILE)('a group named %j is shown exactly as typed', (name) => {
    expect(t('es', 'common:created', { name, code: 'K7P3QM' })).toBe(
      `Grupo ${name} creado. Código: K7P3QM. Envíen UNIRME K7P3QM.`,
    );
  });

  it.each(HOSTILE)('an AVISO of %j from a group of the same name is shown as typed', (typed) => {
    expect(t('es', 'common:notice', { group: typed, text: typed })).toBe(`Aviso de ${typed}: ${typed}`);
    expect(t('ay', 'common:notice', { group: typed, text: typed })).toBe(`Yatiyawi ${typed}: ${typed}`);
    // Quechua has no such text: the Spanish one, filled in the same way.
    expect(t('qu', 'common:notice', { group: typed, text: typed })).toBe(`Aviso de ${typed}: ${typed}`);
  });

  it('holds for any mix of template syntax in any value', () => {
    // Whole nesting expressions, not loose `$t(` and quotes: those made i18next (before Ayni
    // filled in values itself) backtrack for seconds or for ever, which the next test covers.
    const piece = fc.constantFrom(
      ...['{{', '}}', '{{- ', '{{ ', 'code', 'name', 'text', '$&', "$'", ' ', 'ñ'],
      ...['$t(common:menu)', '$t(x, {"a": "{{b}}"})'],
    );
    const typed = fc.array(piece, { maxLength: 10 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(typed, typed, (name, code) => {
        expect(t('es', 'common:created', { name, code })).toBe(
          `Grupo ${name} creado. Código: ${code}. Envíen UNIRME ${code}.`,
        );
      }),
      { numRuns: 2000, endOnFailure: true },
    );
  });

  it('answers at once when a value opens $t( and never closes it', () => {
    // i18next's nesting pattern backtracks exponentially on this: about 15 s for these 29
    // characters, and a whole reply's length after `GRUPO $t(` would hang the server.
    const typed = `$t(${'x'.repeat(29)}`;
    const started = performance.now();
    expect(t('es', 'common:notice', { group: 'G', text: typed })).toBe(`Aviso de G: ${typed}`);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('fills placeholders written with spaces and leaves one without a value', () => {
    expect(t('es', 'common:spaced', { name: 'Rosa' })).toBe('Hola Rosa, {{missing}}');
    expect(t('es', 'common:spaced')).toBe('Hola {{ name }}, {{missing}}');
  });

  it('does the same with the real course’s texts', () => {
    const real = realContent().translator;
    expect(real.t('es', 'common:notice_body', { group: '{{text}}', text: '$t(common:menu)' })).toBe(
      'Aviso de {{text}}: $t(common:menu)',
    );
  });
});
