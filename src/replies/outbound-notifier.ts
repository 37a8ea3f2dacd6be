/**
 * Tells someone who did not just write (a coordinator, a group member) something, through the
 * outbound sender: in their language, spelled for the channel they last used.
 */
import type { Language } from '../content/locale-schema.js';
import type { Notifier } from './notifier.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import type { OutboundMessage } from '../messaging/outbound.js';
import type { PersonIds } from '../privacy/person-ids.js';
import type { SessionStore } from '../store/session-store.js';
import { fitChannel } from './fit-channel.js';
import type { ReplyRenderer } from './render-reply.js';

export interface Outbox {
  send(message: OutboundMessage): Promise<unknown>;
}

export function createNotifier(deps: {
  personIds: PersonIds;
  sessions: SessionStore;
  render: ReplyRenderer;
  outbox: Outbox;
  spelling?: SpellingPolicy;
}): Notifier {
  return {
    async notify(phone, dedupeKey, reply, fallback = 'es') {
      const record = await deps.sessions.load(deps.personIds.learnerId(phone));
      const lang: Language = record?.snapshot.context.lang ?? fallback;
      // Someone who never wrote to Ayni (a coordinator registered by an administrator) gets SMS.
      const to = record?.address ?? phone;
      const channel = to.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
      const texts = deps.render(reply(lang), lang).map((text) => ({ lang, text }));
      const body = fitChannel(texts, channel, deps.spelling).join('\n');
      await deps.outbox.send({ dedupeKey, to, body, allowUnknownRecipient: true, smsFallback: true });
    },
  };
}
