/**
 * A quiz's messages to the members of its group: who they are, where and in which language to
 * reach them, and one message to each active member, rendered and spelled for their channel,
 * through the outbound sender.
 */
import type { Language } from '../../content/locale-schema.js';
import type { Reply } from '../../flows/reply.js';
import type { SpellingPolicy } from '../../i18n/sms-spelling.js';
import type { OutboundMessage } from '../../messaging/outbound-message.js';
import { fitChannel } from '../../replies/fit-channel.js';
import type { ReplyRenderer } from '../../replies/render-reply.js';
import type { SessionStore } from '../../store/session-store.js';
import type { Group, GroupStore } from '../group-store.js';

export interface Member {
  learner: string;
  lang: Language;
  address: string;
  active: boolean;
}

export interface QuizMembersDeps {
  groups: GroupStore;
  sessions: SessionStore;
  render: ReplyRenderer;
  spelling?: SpellingPolicy;
  outbox: { sendMany(messages: OutboundMessage[]): Promise<unknown> };
}

export class QuizMembers {
  constructor(private readonly deps: QuizMembersDeps) {}

  /** Every member with where and in which language to reach them; opted-out members are inactive. */
  async of(group: Group): Promise<Member[]> {
    const members: Member[] = [];
    for await (const page of this.deps.groups.members(group.id)) {
      const sessions = await this.deps.sessions.loadMany(page);
      for (const [i, learner] of page.entries()) {
        const session = sessions[i];
        if (!session) continue;
        members.push({
          learner,
          lang: session.snapshot.context.lang ?? group.locale,
          address: session.address,
          active: !session.optedOut,
        });
      }
    }
    return members;
  }

  async fanOut(dedupeKey: string, members: Member[], make: (m: Member) => Reply[]): Promise<void> {
    const messages = members
      .filter((m) => m.active)
      .map((m) => ({ dedupeKey, to: m.address, body: this.text(make(m), m.lang, m.address) }));
    if (messages.length) await this.deps.outbox.sendMany(messages);
  }

  private text(replies: Reply[], lang: Language, address: string): string {
    const channel = address.startsWith('whatsapp:') ? 'whatsapp' : 'sms';
    const texts = replies.flatMap((reply) => this.deps.render(reply, lang).map((text) => ({ lang, text })));
    return fitChannel(texts, channel, this.deps.spelling).join('\n');
  }
}
