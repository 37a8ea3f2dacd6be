/**
 * Group commands typed by text: members join with a code and leave; coordinators create groups.
 * Answers go back to the sender as replies; the coordinator hears of joins through the outbound
 * sender (REST API), in their own language.
 */
import { randomBytes } from 'node:crypto';
import type { Language } from '../content/locale-schema.js';
import type { Command } from '../reading/commands.js';
import type { Reply } from '../flows/reply.js';
import { maskPhone } from '../privacy/phone.js';
import type { Notifier } from '../replies/notifier.js';
import type { CoordinatorStore } from './coordinator-store.js';
import type { Group, GroupStore } from './group-store.js';
import type { QuizRunner } from './quiz/quiz-runner.js';

export interface Who {
  learner: string;
  phone: string;
  lang: Language;
}

/** Sends a coordinator's AVISO to a group; answers how many members it will reach. */
export interface NoticeSender {
  send(group: Group, text: string, from: Who): Promise<{ reach: number }>;
}

export interface DeskAnswer {
  replies: Reply[];
  /** a newcomer who joined takes the group's language */
  lang?: Language;
}

export class GroupDesk {
  constructor(
    private readonly groups: GroupStore,
    private readonly coordinators: CoordinatorStore,
    private readonly notifier: Notifier | null,
    /** lesson ids in the order coordinators number them (GET /api/lessons) */
    private readonly lessons: string[] = [],
    private readonly quizzes: Pick<QuizRunner, 'start'> | null = null,
    /** how AVISO goes out (a broadcast); without it AVISO is not a command */
    private readonly notices: NoticeSender | null = null,
  ) {}

  /** Null when the command is not for this sender (GRUPO from someone who is not a coordinator). */
  async handle(command: Command, who: Who): Promise<DeskAnswer | null> {
    switch (command.kind) {
      case 'join':
        return this.join(command.code, who);
      case 'leave': {
        const group = await this.groups.leave(who.learner);
        if (!group) return { replies: [text('group_none')] };
        const count = await this.groups.count(group.id);
        await this.notifier?.notify(group.coordinator, noticeKey('left', group), () =>
          text('member_left', { who: maskPhone(who.phone), name: group.name, count }),
        );
        return { replies: [text('group_left', { name: group.name })] };
      }
      case 'group': {
        if (!(await this.coordinators.isCoordinator(who.phone))) return null;
        const group = await this.groups.create({
          name: command.name,
          locale: who.lang,
          coordinator: who.phone,
        });
        return { replies: [text('group_created', { name: group.name, code: group.code })] };
      }
      case 'quiz':
        return this.quiz(command.code, command.lesson, who);
      case 'notice':
        return this.notice(command.code, command.text, who);
      default:
        return null;
    }
  }

  /** QUIZ <code> <lesson>: a coordinator starts a quiz in one of their groups. */
  private async quiz(code: string | null, lesson: string, who: Who): Promise<DeskAnswer | null> {
    if (!this.quizzes || !(await this.coordinators.isCoordinator(who.phone))) return null;
    const group = code ? await this.groups.byCode(code) : null;
    // Another coordinator's group is answered like a missing one: codes are not to be probed.
    if (!group || group.coordinator !== who.phone) return { replies: [text('group_not_found')] };
    const wanted = lesson.trim().toLowerCase();
    const flowId = /^\d+$/.test(wanted)
      ? this.lessons[Number(wanted) - 1]
      : this.lessons.find((id) => id === wanted);
    const noLesson = { replies: [text('quiz_no_lesson', { count: this.lessons.length })] };
    if (!flowId) return noLesson;
    const started = await this.quizzes.start(group.id, flowId);
    if (started.status === 'started') {
      return {
        replies: [
          text('quiz_started', { group: group.name, total: started.questions, members: started.members }),
        ],
      };
    }
    if (started.status === 'running') return { replies: [text('quiz_running', { group: group.name })] };
    return noLesson;
  }

  /** AVISO <code> <text>: a coordinator sends a reminder to one of their groups. */
  private async notice(code: string | null, body: string, who: Who): Promise<DeskAnswer | null> {
    const notices = this.notices;
    if (!notices || !(await this.coordinators.isCoordinator(who.phone))) return null;
    const group = code ? await this.groups.byCode(code) : null;
    // Another coordinator's group is answered like a missing one: codes are not to be probed.
    if (!group || group.coordinator !== who.phone) return { replies: [text('group_not_found')] };
    if (!body) return { replies: [text('notice_no_text')] };
    const { reach } = await notices.send(group, body, who);
    return { replies: [text('notice_sent', { group: group.name, count: reach })] };
  }

  /** A message that is only a join code, when nothing else understood it. */
  async joinByCodeAlone(code: string | null, who: Who): Promise<DeskAnswer | null> {
    if (!code || !(await this.groups.byCode(code))) return null;
    return this.join(code, who);
  }

  private async join(code: string | null, who: Who): Promise<DeskAnswer> {
    const group = code ? await this.groups.byCode(code) : null;
    if (!group) return { replies: [text('group_not_found')] };
    const result = await this.groups.join(group.id, who.learner);
    switch (result.status) {
      case 'full':
        return { replies: [text('group_full', { name: group.name })] };
      case 'already':
        return { replies: [text('group_already', { name: group.name })], lang: group.locale };
      case 'missing':
        return { replies: [text('group_not_found')] };
      case 'joined':
        await this.notifier?.notify(group.coordinator, noticeKey('joined', group), () =>
          text('member_joined', { who: maskPhone(who.phone), name: group.name, count: result.count }),
        );
        return {
          replies: [text('group_joined', { name: group.name, count: result.count })],
          lang: group.locale,
        };
    }
  }
}

/**
 * The dedupeKey of a notice to the coordinator: never the member's id, which the delivery log
 * would keep after the member's BORRAR. One notice per join or leave is what the group store
 * already ensures (a repeated UNIRME is `already`), so the key only has to be new.
 */
function noticeKey(kind: 'joined' | 'left', group: Group): string {
  return `${kind}:${group.id}:${randomBytes(8).toString('hex')}`;
}

function text(key: string, vars?: Record<string, string | number>): Reply {
  return { kind: 'text', key, vars };
}
