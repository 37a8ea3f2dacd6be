/**
 * Shapes rendered replies for the channel they go out on. On SMS every segment is paid for, so
 * text is spelled to stay in GSM-7 and short consecutive replies share one message when they fit
 * in a single segment together. WhatsApp keeps the full spelling and one bubble per reply.
 */
import type { Language } from '../content/locale-schema.js';
import { spellForChannel, type SpellingPolicy } from '../i18n/sms-spelling.js';
import type { Channel } from '../privacy/phone.js';
import { fitsOneSms } from './sms-segments.js';

export function fitChannel(
  replies: { lang: Language; text: string }[],
  channel: Channel,
  policy?: SpellingPolicy,
): string[] {
  const spelled = replies.map((r) => spellForChannel(r.text, r.lang, channel, policy));
  if (channel !== 'sms') return spelled;
  const packed: string[] = [];
  for (const text of spelled) {
    const previous = packed.at(-1);
    if (previous !== undefined && fitsOneSms(`${previous}\n${text}`)) {
      packed[packed.length - 1] = `${previous}\n${text}`;
    } else {
      packed.push(text);
    }
  }
  return packed;
}
