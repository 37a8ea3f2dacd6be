/**
 * What a turn asks to say, in which language, and its text for the channel it goes out on. The
 * machine asks through its `say` actions, the group desk and the steps through Reply descriptors.
 */
import type { Language } from '../content/locale-schema.js';
import type { Reply, SayParams } from '../flows/reply.js';
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
    render(reply, lang).map((text) => ({ lang, text, leads: reply.kind === 'lessonDone' })),
  );
  return fitChannel(rendered, channel, spelling);
}
