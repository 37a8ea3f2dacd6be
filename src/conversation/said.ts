/**
 * What a turn asks to say, in which language, and its text for the channel it goes out on. The
 * machine asks through its `say` actions, the group desk and the steps through Reply descriptors.
 */
import type { Language } from '../content/locale-schema.js';
import type { Course } from '../flows/course.js';
import type { Reply, SayParams } from '../flows/reply.js';
import { textKeyOf } from '../flows/reply-text-key.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import type { Channel } from '../privacy/phone.js';
import { fitChannel } from '../replies/fit-channel.js';
import type { ReplyRenderer } from '../replies/render-reply.js';

export type Said = { lang: Language; reply: Reply };

type Actions = { type: string; params?: unknown }[];

/** The machine's effects of one kind, in order: the engine carries them out. */
export function effectsOf<T>(actions: Actions, type: string): T[] {
  return actions.filter((a) => a.type === type).map((a) => a.params as T);
}

export function saysOf(actions: Actions): Said[] {
  return effectsOf<SayParams>(actions, 'say');
}

/** A text from locales/<lang>/common.yaml. */
export function sayText(lang: Language, key: string): Said {
  return { lang, reply: { kind: 'text', key } };
}

/** True when the flow answered only "I did not understand". */
export function onlyReprompts(said: Said[]): boolean {
  return (
    said.length > 0 &&
    said.every(
      ({ reply }) =>
        reply.kind === 'reprompt' || (reply.kind === 'text' && reply.key.startsWith('reprompt.')),
    )
  );
}

/**
 * The turn's replies as the texts that go out on the channel. A lesson's closing line heads what
 * follows it (the lesson list, or the completion code), in one WhatsApp bubble.
 */
export function textFor(
  said: Said[],
  channel: Channel,
  { render, spelling }: { render: ReplyRenderer; spelling?: SpellingPolicy },
): string[] {
  const rendered = said.flatMap(({ lang, reply }) =>
    render(reply, lang).map((text) => ({ lang, text, leads: leads(reply) })),
  );
  return fitChannel(rendered, channel, spelling);
}

/** A reply that heads the one after it in a WhatsApp bubble. */
const leads = (reply: Reply): boolean => reply.kind === 'lessonDone';

/**
 * How many bubbles textFor(said, 'whatsapp') makes, without spelling and joining their texts:
 * one per text, except that a text after one that leads shares its bubble (fitChannel).
 */
export function whatsappBubbles(said: Said[], { render }: { render: ReplyRenderer }): number {
  let bubbles = 0;
  let afterLeading = false;
  for (const { lang, reply } of said) {
    for (let texts = render(reply, lang).length; texts > 0; texts--) {
      if (!afterLeading) bubbles += 1;
      afterLeading = leads(reply);
    }
  }
  return bubbles;
}

/** The last content text among what was said, and its language: what CORREGIR will point at. */
export function lastTextOf(said: Said[], course: Course): { key: string; lang: Language } | undefined {
  for (let i = said.length - 1; i >= 0; i--) {
    const key = textKeyOf(said[i]!.reply, course);
    if (key) return { key, lang: said[i]!.lang };
  }
  return undefined;
}
