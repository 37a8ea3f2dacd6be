/**
 * Reads locales/sms-spelling.yaml, the per-language SMS spelling choices a trainer or linguist can
 * change without touching code, on top of the built-in policy.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_SPELLING_POLICY, type SpellingPolicy } from './sms-spelling.js';

const replacements = z.record(z.string().min(1), z.string());
const policyFile = z
  .object({
    aymaraLongI: z.enum(['plain', 'double']).default('plain'),
    sms: z
      .object({ es: replacements.default({}), ay: replacements.default({}), qu: replacements.default({}) })
      .strict()
      .default({ es: {}, ay: {}, qu: {} }),
  })
  .strict();

export const SPELLING_FILE = 'sms-spelling.yaml';

export function loadSpellingPolicy(localesDir: string): SpellingPolicy {
  const file = path.join(localesDir, SPELLING_FILE);
  if (!existsSync(file)) return DEFAULT_SPELLING_POLICY;
  const parsed = policyFile.safeParse(parse(readFileSync(file, 'utf8')) ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new Error(problems.join('\n'));
  }
  const base = DEFAULT_SPELLING_POLICY;
  return {
    everyChannel: base.everyChannel,
    aymaraLongI: parsed.data.aymaraLongI,
    sms: {
      es: { ...base.sms.es, ...parsed.data.sms.es },
      ay: { ...base.sms.ay, ...parsed.data.sms.ay },
      qu: { ...base.sms.qu, ...parsed.data.sms.qu },
    },
  };
}
