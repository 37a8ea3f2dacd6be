/**
 * Where the flow decides. One turn for one inbound message:
 *   lock the sender → load the session → skip a message already handled → keywords →
 *   migrate the snapshot if the course changed → XState transition → save → render replies.
 * The machine is pure (xstate's transition()), so a turn is a load, a computation and a save.
 */
import { initialTransition, transition } from 'xstate';
import type { Language } from '../content/locale-schema.js';
import type { LearnerMachine } from '../flows/compile-machine.js';
import type { Course } from '../flows/course.js';
import { initialContext, type LearnerEvent } from '../flows/learner-context.js';
import { migrateSnapshot, type StoredSnapshot } from '../flows/migrate-snapshot.js';
import type { CompletionParams, Reply, SayParams } from '../flows/reply.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import { learnerId, maskPhone, type Address } from '../privacy/phone.js';
import type { CoordinatorStore } from '../groups/coordinator-store.js';
import type { DeskAnswer, GroupDesk, Who } from '../groups/group-desk.js';
import type { GroupStore } from '../groups/group-store.js';
import type { QuizRunner } from '../groups/quiz/quiz-runner.js';
import { normalizeJoinCode } from '../reading/join-code.js';
import type { CompletionStore } from '../store/completion-store.js';
import type { SessionTurns, TurnOutcome } from '../store/session-turns.js';
import { REMEMBERED_MESSAGE_IDS, type SessionRecord, type SessionStore } from '../store/session-store.js';
import { fitChannel } from '../replies/fit-channel.js';
import { parseCommand } from '../reading/commands.js';
import { detectKeyword, type Keyword } from '../reading/keywords.js';
import type { Lexicon } from '../reading/lexicon.js';
import type { ReplyRenderer } from '../replies/render-reply.js';

export interface InboundMessage {
  address: Address;
  body: string;
  messageSid: string;
}

export interface TurnResult {
  replies: string[];
  /** for the log line: never the number or the text */
  learner: string;
  state: string;
  keyword: Keyword | null;
  duplicate: boolean;
}

export interface EngineDeps {
  course: Course;
  machine: LearnerMachine;
  render: ReplyRenderer;
  lexicon: Lexicon;
  sessions: SessionStore;
  turns: SessionTurns;
  completions: CompletionStore;
  groups: GroupStore;
  coordinators: CoordinatorStore;
  desk: GroupDesk;
  /** group quizzes; without an outbound sender there are none */
  quizzes?: Pick<QuizRunner, 'answer'> | null;
  clock?: () => number;
  /** after this long without a message, a learner is welcomed back to the step they were on */
  resumeAfterMs?: number;
  spelling?: SpellingPolicy;
}

type Snapshot = ReturnType<LearnerMachine['resolveState']>;
type Said = { lang: Language; reply: Reply };

export class ConversationEngine {
  private readonly clock: () => number;
  private readonly resumeAfterMs: number;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? Date.now;
    this.resumeAfterMs = deps.resumeAfterMs ?? 6 * 60 * 60 * 1000;
  }

  async handle(message: InboundMessage): Promise<TurnResult> {
    const id = learnerId(message.address.phone);
    return this.deps.turns.run(id, (record, group) => this.turn(id, message, record, group));
  }

  private async turn(
    id: string,
    message: InboundMessage,
    record: SessionRecord | null,
    group: string | null,
  ): Promise<TurnOutcome<TurnResult>> {
    const { sessions } = this.deps;
    const now = this.clock();
    const result = (
      replies: string[],
      state: string,
      keyword: Keyword | null,
      duplicate = false,
    ): TurnResult => ({
      replies,
      learner: maskPhone(message.address.phone),
      state,
      keyword,
      duplicate,
    });

    if (record?.seen.includes(message.messageSid)) {
      // A retried delivery: answer as before, change nothing. Only the newest reply is kept.
      const replies = record.seen.at(-1) === message.messageSid ? record.lastReplies : [];
      return { value: result(replies, describe(record.snapshot.value), null, true) };
    }

    const keyword = detectKeyword(message.body, this.deps.lexicon);
    const lang = record?.snapshot.context.lang ?? 'es';

    if (keyword === 'delete') {
      const code = record?.snapshot.context.cert?.code;
      if (code) await this.deps.completions.delete(code);
      await this.deps.groups.forgetLearner(id);
      await sessions.deleteAll(id);
      const replies = this.text([{ lang, reply: { kind: 'text', key: 'deleted' } }], message);
      return { value: result(replies, 'deleted', keyword) };
    }

    let said: Said[] = [];
    let snapshot: Snapshot;
    let optedOut = record?.optedOut ?? false;

    if (keyword === 'stop') {
      optedOut = true;
      snapshot = record ? this.restore(record).snapshot : initialTransition(this.deps.machine)[0];
      said = [{ lang, reply: { kind: 'text', key: 'stopped' } }];
    } else if (optedOut && keyword !== 'start') {
      // Opted out: remember the message was handled, send nothing.
      snapshot = record ? this.restore(record).snapshot : initialTransition(this.deps.machine)[0];
      said = [];
    } else {
      const who: Who = { learner: id, phone: message.address.phone, lang };
      // While the learner's group runs a quiz, a text is read as a quiz answer first.
      const quizReply =
        !keyword && record && group && this.deps.quizzes
          ? await this.deps.quizzes.answer(id, message.body, lang, group)
          : null;
      const command = keyword || quizReply ? null : parseCommand(message.body, this.deps.lexicon);
      const answer = quizReply
        ? { replies: quizReply }
        : command
          ? await this.deps.desk.handle(command, who)
          : null;
      if (answer) {
        ({ snapshot, said } = this.afterDesk(record, answer, lang));
      } else if (!record) {
        const [first, actions] = initialTransition(this.deps.machine);
        snapshot = first;
        said = saysOf(actions);
      } else {
        const restored = this.restore(record);
        const resumed = restored.notice !== null || now - record.lastInboundAt > this.resumeAfterMs;
        const event = toEvent(keyword, message.body, now, resumed, id);
        if (keyword === 'start' && optedOut) {
          optedOut = false;
          said.push({ lang, reply: { kind: 'text', key: 'restarted' } });
        }
        if (restored.notice) said.push({ lang, reply: { kind: 'text', key: restored.notice } });
        const [next, actions] = transition(this.deps.machine, restored.snapshot, event);
        snapshot = next;
        said.push(...saysOf(actions));
        if (keyword === 'help' && (await this.deps.coordinators.isCoordinator(who.phone))) {
          said.push({ lang, reply: { kind: 'text', key: 'coordinator_help' } });
        }
        // A join code sent alone, where the flow understood nothing: join the group instead.
        const alone = !keyword && onlyReprompts(said) ? normalizeJoinCode(message.body) : null;
        const joined = alone ? await this.deps.desk.joinByCodeAlone(alone, who) : null;
        if (joined) ({ snapshot, said } = this.afterDesk(record, joined, lang));
        else {
          for (const earned of effectsOf<CompletionParams>(actions, 'recordCompletion')) {
            await this.deps.completions.record({ ...earned, learner: id });
          }
        }
      }
    }

    const replies = this.text(said, message);
    const next: SessionRecord = {
      flowVersion: this.deps.course.version,
      snapshot: { value: snapshot.value, context: snapshot.context },
      address: message.address.raw,
      lastInboundAt: now,
      optedOut,
      turns: (record?.turns ?? 0) + 1,
      seen: [...(record?.seen ?? []), message.messageSid].slice(-REMEMBERED_MESSAGE_IDS),
      lastReplies: replies,
    };
    return { value: result(replies, describe(snapshot.value), keyword), save: next };
  }

  /**
   * The learner's state after a group command: unchanged, except that a newcomer who joined a
   * group skips the language choice and lands on the menu in the group's language.
   */
  private afterDesk(
    record: SessionRecord | null,
    answer: DeskAnswer,
    lang: Language,
  ): { snapshot: Snapshot; said: Said[] } {
    const { machine } = this.deps;
    const said: Said[] = [];
    if (record?.snapshot.context.lang) {
      const snapshot = this.restore(record).snapshot;
      return { snapshot, said: answer.replies.map((reply) => ({ lang, reply })) };
    }
    if (answer.lang) {
      const context = { ...initialContext(), ...record?.snapshot.context, lang: answer.lang };
      const snapshot = machine.resolveState({ value: 'menu', context });
      said.push(...answer.replies.map((reply) => ({ lang: answer.lang as Language, reply })));
      said.push({ lang: answer.lang, reply: { kind: 'text', key: 'menu' } });
      return { snapshot, said };
    }
    const [snapshot, actions] = initialTransition(machine);
    return { snapshot, said: [...answer.replies.map((reply) => ({ lang, reply })), ...saysOf(actions)] };
  }

  private restore(record: SessionRecord): {
    snapshot: Snapshot;
    notice: 'flow_changed' | 'flow_removed' | null;
  } {
    const { machine, course } = this.deps;
    let stored: StoredSnapshot = record.snapshot;
    let notice: 'flow_changed' | 'flow_removed' | null = null;
    if (record.flowVersion !== course.version) {
      const migrated = migrateSnapshot(record.snapshot, course);
      stored = migrated.snapshot;
      notice = migrated.notice;
    }
    try {
      return {
        snapshot: machine.resolveState(stored as Parameters<LearnerMachine['resolveState']>[0]),
        notice,
      };
    } catch {
      // A snapshot that even migration could not place: keep the learner's data, start at the menu.
      const migrated = migrateSnapshot({ ...stored, value: 'menu' }, course);
      return {
        snapshot: machine.resolveState(migrated.snapshot as Parameters<LearnerMachine['resolveState']>[0]),
        notice: 'flow_removed',
      };
    }
  }

  private text(said: Said[], message: InboundMessage): string[] {
    const rendered = said.flatMap(({ lang, reply }) =>
      this.deps.render(reply, lang).map((text) => ({ lang, text })),
    );
    return fitChannel(rendered, message.address.channel, this.deps.spelling);
  }
}

function toEvent(
  keyword: Keyword | null,
  text: string,
  now: number,
  resumed: boolean,
  learner: string,
): LearnerEvent {
  switch (keyword) {
    case 'menu':
    case 'start':
      return { type: 'MENU' };
    case 'help':
      return { type: 'HELP' };
    case 'language':
      return { type: 'LANGUAGE' };
    default:
      return { type: 'TEXT', text, now, resumed, learner };
  }
}

/** The machine's effects of one kind, in order: the engine carries them out. */
function effectsOf<T>(actions: { type: string; params?: unknown }[], type: string): T[] {
  return actions.filter((a) => a.type === type).map((a) => a.params as T);
}

/** True when the flow answered only "I did not understand". */
function onlyReprompts(said: Said[]): boolean {
  return (
    said.length > 0 &&
    said.every(
      ({ reply }) =>
        reply.kind === 'reprompt' || (reply.kind === 'text' && reply.key.startsWith('reprompt.')),
    )
  );
}

function saysOf(actions: { type: string; params?: unknown }[]): Said[] {
  return effectsOf<SayParams>(actions, 'say');
}

/** welcome | menu | flow/<id>/<step>, for logs and tests. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  const parts: string[] = [];
  let at: unknown = value;
  while (at && typeof at === 'object') {
    const [key, inner] = Object.entries(at)[0] ?? [];
    if (key === undefined) break;
    parts.push(key);
    at = inner;
  }
  if (typeof at === 'string') parts.push(at);
  return parts.join('/');
}
