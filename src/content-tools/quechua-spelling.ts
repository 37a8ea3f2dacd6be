/**
 * The Quechua spelling convention (locales/quechua-spelling.yaml): the sound written h in Peru's
 * standard is written j, as in Bolivia's unified alphabet (juk, jina, jallp'a), the same letter the
 * Aymara texts use. The check names every Quechua word that starts with h and a vowel and is not
 * a listed Spanish loan (horizontal, honestidad...). h inside ch, chh, kh, ph, qh, th is a
 * different sound (aspiration) and is never flagged.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ContentProblem, LocaleTable } from '../content/load-content.js';

export const QUECHUA_SPELLING_FILE = 'quechua-spelling.yaml';

const conventionFile = z.object({
  spanishLoans: z.array(z.string()).default([]),
});

/** Words (outside {{placeholders}}) that start with h + vowel and are not Spanish loans. */
export function wordsBreakingConvention(text: string, loans: ReadonlySet<string>): string[] {
  const plain = text.replace(/\{\{[^}]*\}\}/g, ' ');
  const words = plain.match(/[\p{L}'’]+/gu) ?? [];
  return words.filter((w) => /^h[aeiouáéíóú]/i.test(w) && !loans.has(w.toLowerCase()));
}

export function checkQuechuaSpelling(localesDir: string, quechua: LocaleTable): ContentProblem[] {
  const file = path.join(localesDir, QUECHUA_SPELLING_FILE);
  let loans: Set<string>;
  try {
    const parsed = conventionFile.parse(existsSync(file) ? (parse(readFileSync(file, 'utf8')) ?? {}) : {});
    loans = new Set(parsed.spanishLoans.map((w) => w.toLowerCase()));
  } catch (error) {
    return [{ file: `locales/${QUECHUA_SPELLING_FILE}`, key: '(file)', message: (error as Error).message }];
  }
  const problems: ContentProblem[] = [];
  for (const [key, entry] of quechua) {
    for (const word of wordsBreakingConvention(entry.text, loans)) {
      problems.push({
        file: entry.file,
        key: key.slice(key.indexOf(':') + 1),
        message: `"${word}" breaks the Quechua spelling convention: write j, not h ("j${word.slice(1)}"); a Spanish loan goes in locales/${QUECHUA_SPELLING_FILE}`,
      });
    }
  }
  return problems;
}
