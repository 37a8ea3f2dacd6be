/**
 * Shapes rendered replies for the channel they go out on. On SMS every segment is paid for, so
 * text is spelled to stay in GSM-7 and short consecutive replies share one message when they fit
 * in a single segment together. WhatsApp keeps the full spelling and one bubble per reply, except
 * that a reply marked `leads` (a lesson's closing line) shares its bubble with the one after it.
 */
import type { Language } from '../content/locale-schema.js';
import { spellForChannel, type SpellingPolicy } from '../i18n/sms-spelling.js';
import type { Channel } from '../privacy/phone.js';
import { fitsOneSms } from './sms-segments.js';

export interface RenderedReply {
  lang: Language;
  text: string;
  /** a heading for the reply after it: on WhatsApp both go in one bubble */
  leads?: boolean;
}

export function fitChannel(replies: RenderedReply[], channel: Channel, policy?: SpellingPolicy): string[] {
  const spelled = replies.map((r) => spellForChannel(r.text, r.lang, channel, policy));
  const packed: string[] = [];
  spelled.forEach((text, i) => {
    const previous = packed.at(-1);
    const joins =
      previous !== undefined &&
      (channel === 'sms' ? fitsOneSms(`${previous}\n${text}`) : replies[i - 1]?.leads === true);
    if (joins) packed[packed.length - 1] = `${previous}\n${text}`;
    else packed.push(text);
  });
  return packed;
}
