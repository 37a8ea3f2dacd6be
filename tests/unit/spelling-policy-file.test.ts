// locales/sms-spelling.yaml changes how Ayni spells on SMS, without touching code.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpellingPolicy } from '../../src/i18n/load-spelling-policy.js';
import { DEFAULT_SPELLING_POLICY, spellForChannel } from '../../src/i18n/sms-spelling.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function withFile(yaml: string | null) {
  dir = mkdtempSync(path.join(tmpdir(), 'ayni-spelling-'));
  if (yaml !== null) writeFileSync(path.join(dir, 'sms-spelling.yaml'), yaml);
  return loadSpellingPolicy(dir);
}

describe('the SMS spelling policy file', () => {
  it('is optional: without it the built-in policy applies', () => {
    expect(withFile(null)).toBe(DEFAULT_SPELLING_POLICY);
  });

  it('the repository file keeps the built-in choices', () => {
    const policy = loadSpellingPolicy('locales');
    expect(spellForChannel('Jilïri', 'ay', 'sms', policy)).toBe('Jiliri');
  });

  it('writes the Aymara long i as ii when the file says double', () => {
    const policy = withFile('aymaraLongI: double\n');
    expect(spellForChannel('Jilïri', 'ay', 'sms', policy)).toBe('Jiliiri');
    expect(spellForChannel('Jilïri', 'ay', 'whatsapp', policy)).toBe('Jilïri');
  });

  it('adds a language’s own replacements on SMS only', () => {
    const policy = withFile('sms:\n  qu:\n    "✓": "*"\n');
    expect(spellForChannel('Yachachiy ✓', 'qu', 'sms', policy)).toBe('Yachachiy *');
    expect(spellForChannel('Yachachiy ✓', 'qu', 'whatsapp', policy)).toBe('Yachachiy ✓');
    expect(spellForChannel('lección', 'qu', 'sms', policy)).toBe('leccion');
  });

  it('names the file and the field when the file is wrong', () => {
    expect(() => withFile('aymaraLongI: triple\n')).toThrow(/sms-spelling\.yaml: aymaraLongI: /);
    expect(() => withFile('smss: {}\n')).toThrow(/sms-spelling\.yaml: \(file\): /);
  });
});
