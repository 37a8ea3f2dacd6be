/**
 * What a reminder costs on SMS, per language: the text spelled as the broadcast sends it
 * (spellForChannel, the spelling policy of locales/sms-spelling.yaml), then measured with
 * Twilio's own calculator. The page's script counts live as the coordinator types, from the
 * replacement table built here, so both agree on the spelling.
 */
import { LANGUAGES, type Language } from '../../content/locale-schema.js';
import { segmentInfo, spellForChannel, type SpellingPolicy } from '../../i18n/sms-spelling.js';

export interface SmsCount {
  segments: number;
  encoding: 'GSM-7' | 'UCS-2';
  /** characters as sent, after spelling */
  chars: number;
  nonGsm: string[];
}

export function countSms(text: string, lang: Language, policy: SpellingPolicy): SmsCount {
  const sms = spellForChannel(text, lang, 'sms', policy);
  const info = segmentInfo(sms);
  return {
    segments: sms ? info.segments : 0,
    encoding: info.encoding,
    chars: [...sms].length,
    nonGsm: info.nonGsm,
  };
}

/** "1 SMS · GSM-7 · 42 caracteres" */
export function describeCount(count: SmsCount): string {
  if (count.chars === 0) return 'vacío';
  const sms = count.segments === 1 ? '1 SMS' : `${count.segments} SMS`;
  const odd = count.nonGsm.length ? ` (por ${count.nonGsm.join(' ')})` : '';
  return `${sms} · ${count.encoding}${odd} · ${count.chars} caracteres`;
}

/**
 * Per language, every replacement the SMS spelling makes (character or string → its spelling),
 * found by spelling each key of the policy on its own. The page's script applies them longest
 * key first, as spellForChannel does.
 */
export function spellingTables(policy: SpellingPolicy): Record<Language, Record<string, string>> {
  const tables = {} as Record<Language, Record<string, string>>;
  for (const lang of LANGUAGES) {
    const keys = new Set([...Object.keys(policy.everyChannel), ...Object.keys(policy.sms[lang]), 'ï', 'Ï']);
    const table: Record<string, string> = {};
    for (const key of keys) {
      const spelled = spellForChannel(key, lang, 'sms', policy);
      if (spelled !== key) table[key] = spelled;
    }
    tables[lang] = table;
  }
  return tables;
}
