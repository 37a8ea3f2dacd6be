/**
 * AVISO <code> <text>: a coordinator's reminder to one of their groups, sent as a broadcast.
 * The text is the coordinator's own, introduced in each member's language ("Aviso de <group>:").
 * A retried or repeated identical AVISO within ten minutes is the same broadcast, not a second one.
 */
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import type { NoticeSender } from '../groups/group-desk.js';
import type { Translator } from '../i18n/translator.js';
import { sha256 } from './broadcast-store.js';
import type { BroadcastService } from './broadcast-service.js';

const REPEAT_WINDOW_MS = 10 * 60 * 1000;

export function createNoticeSender(
  service: Pick<BroadcastService, 'create' | 'reach'>,
  translator: Pick<Translator, 't'>,
): NoticeSender {
  return {
    async send(group, text, from) {
      const texts = {} as Record<Language, string>;
      for (const lang of LANGUAGES) {
        texts[lang] = translator.t(lang, 'common:notice_body', { group: group.name, text });
      }
      const target = { groups: [group.id] };
      await service.create(
        // WhatsApp members outside the 24-hour window get it by SMS rather than not at all.
        { target, text: texts, smsFallback: true },
        {
          idempotencyKey: `aviso:${from.learner}:${group.id}:${sha256(text)}`,
          idempotencyTtlMs: REPEAT_WINDOW_MS,
          origin: 'aviso',
        },
      );
      const { reachable } = await service.reach(target);
      return { reach: reachable };
    },
  };
}
