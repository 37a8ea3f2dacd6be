/**
 * Runs group quizzes: starts one, takes members' answers, and closes each question when everyone
 * answered or its timer fires, carrying out the quiz machine's effects: every member gets each
 * question, result and the leaderboard in their own language, through the outbound sender
 * (quiz-members.ts). The leaderboard's numbers are counted in quiz-scores.ts.
 *
 * Exactly once with several processes: a question is closed under a per-group lock, and a CLOSE
 * for a question that is no longer current does nothing. Effects run before the new snapshot is
 * saved; if a process dies in between, the timer job is retried and the effects run again, and
 * the sender's dedupe keys (quiz:<id>:q<n>, …) keep anyone from getting a message twice. Scores
 * are counted from the stored answers, never incremented, so running an effect twice is harmless.
 */
import { randomBytes } from 'node:crypto';
import { initialTransition, transition } from 'xstate';
import type { Language } from '../../content/locale-schema.js';
import type { AnswerReader } from '../../flows/compile-machine.js';
import { qualifyKey, type Course } from '../../flows/course.js';
import type { Reply } from '../../flows/reply.js';
import type { SpellingPolicy } from '../../i18n/sms-spelling.js';
import type { OutboundMessage } from '../../messaging/outbound-message.js';
import type { SenderLock } from '../../store/sender-lock.js';
import type { SessionStore } from '../../store/session-store.js';
import type { ReplyRenderer } from '../../replies/render-reply.js';
import type { CoordinatorStore } from '../coordinator-store.js';
import type { Notifier } from '../../replies/notifier.js';
import type { Group, GroupStore } from '../group-store.js';
import { quizMachine, type QuizContext, type QuizEffect } from './quiz-machine.js';
import { QuizMembers, type Member } from './quiz-members.js';
import { scoreQuiz, type QuestionAnswers } from './quiz-scores.js';
import type { QuizRecord, QuizStore } from './quiz-store.js';
import type { CloseJob, QuizTimers } from './quiz-timers.js';

export interface QuizRunnerDeps {
  store: QuizStore;
  groups: GroupStore;
  coordinators: CoordinatorStore;
  sessions: SessionStore;
  /** the per-group lock (SenderLock keyed by `g:<groupId>`) */
  lock: SenderLock;
  course: Course;
  reader: AnswerReader;
  render: ReplyRenderer;
  spelling?: SpellingPolicy;
  outbox: { sendMany(messages: OutboundMessage[]): Promise<unknown> };
  /** tells the coordinator the summary */
  notifier: Notifier;
  timers: Pick<QuizTimers, 'schedule' | 'closeNow'>;
  /** how long a question stays open, default 10 minutes */
  timeoutMs?: number;
  clock?: () => number;
}

export type StartResult =
  | { status: 'started'; quizId: string; questions: number; members: number }
  | { status: 'running' | 'no-questions' | 'no-group' };

export class QuizRunner {
  private readonly timeoutMs: number;
  private readonly clock: () => number;
  private readonly members: QuizMembers;

  constructor(private readonly deps: QuizRunnerDeps) {
    this.timeoutMs = deps.timeoutMs ?? 10 * 60 * 1000;
    this.clock = deps.clock ?? Date.now;
    this.members = new QuizMembers(deps);
  }

  async start(groupId: string, flowId: string): Promise<StartResult> {
    const group = await this.deps.groups.get(groupId);
    if (!group) return { status: 'no-group' };
    const flow = this.deps.course.flow(flowId);
    const questions =
      flow?.kind === 'lesson' ? flow.steps.filter((s) => s.type === 'question').map((s) => s.id) : [];
    if (!flow || !questions.length) return { status: 'no-questions' };
    const context: QuizContext = {
      quizId: randomBytes(5).toString('hex'),
      groupId,
      flow: flow.id,
      questions,
      index: 0,
    };
    const [snapshot, actions] = initialTransition(quizMachine, context);
    const record: QuizRecord = {
      id: context.quizId,
      groupId,
      flow: flow.id,
      startedAt: this.clock(),
      snapshot: { value: snapshot.value, context: snapshot.context },
    };
    if (!(await this.deps.store.begin(record))) return { status: 'running' };
    const members = await this.members.of(group);
    await this.members.fanOut(`quiz:${record.id}:start`, members, () => [
      { kind: 'quizStart', group: group.name, flow: flow.id, total: questions.length },
    ]);
    await this.carryOut(group, record, effectsOf(actions));
    return {
      status: 'started',
      quizId: record.id,
      questions: questions.length,
      members: members.filter((m) => m.active).length,
    };
  }

  /**
   * A member's text, read as an answer to their group's open question. Null when no quiz waits
   * for them or the text is not an option: the conversation then goes on as usual.
   */
  async answer(learner: string, text: string, lang: Language, groupId: string): Promise<Reply[] | null> {
    const group = await this.deps.groups.get(groupId);
    const quizId = group && (await this.deps.store.current(group.id));
    const record = quizId && group ? await this.deps.store.load(group.id, quizId) : null;
    if (!group || !record || record.snapshot.value !== 'asking') return null;
    const { index, flow, questions } = record.snapshot.context;
    const step = this.question(flow, questions[index] as string);
    const option = this.deps.reader.choice(
      text,
      step.options.map((o) => qualifyKey(flow, o)),
      lang,
    );
    if (option === null) return null;
    if (!(await this.deps.store.answer(group.id, record.id, index, learner, option))) {
      return [{ kind: 'text', key: 'quiz_already' }];
    }
    const answered = (await this.deps.store.answers(group.id, record.id, index)).size;
    const active = (await this.members.of(group)).filter((m) => m.active).length;
    if (answered >= active) await this.deps.timers.closeNow({ groupId: group.id, quizId: record.id, index });
    return [{ kind: 'text', key: 'quiz_received' }];
  }

  /** Closes question `index` of a quiz: the timer job's work, run in whichever process takes it. */
  async close(job: CloseJob): Promise<void> {
    await this.deps.lock.withLock(`g:${job.groupId}`, async () => {
      const group = await this.deps.groups.get(job.groupId);
      const record = await this.deps.store.load(job.groupId, job.quizId);
      if (!group || !record || (await this.deps.store.current(job.groupId)) !== job.quizId) return;
      const restored = quizMachine.resolveState(record.snapshot);
      const [next, actions] = transition(quizMachine, restored, { type: 'CLOSE', index: job.index });
      const effects = effectsOf(actions);
      if (!effects.length) return; // a question already closed
      await this.carryOut(group, record, effects);
      await this.deps.store.save({ ...record, snapshot: { value: next.value, context: next.context } });
    });
  }

  private async carryOut(group: Group, record: QuizRecord, effects: QuizEffect[]): Promise<void> {
    const { flow, questions } = record.snapshot.context;
    for (const effect of effects) {
      const step = this.question(flow, questions[effect.index] as string);
      const members = await this.members.of(group);
      if (effect.type === 'ask') {
        await this.members.fanOut(`quiz:${record.id}:q${effect.index}`, members, () => [
          { kind: 'step', flow, step: step.id },
        ]);
        await this.deps.timers.schedule(
          { groupId: group.id, quizId: record.id, index: effect.index },
          this.timeoutMs,
        );
      } else if (effect.type === 'reveal') {
        const answers = await this.deps.store.answers(group.id, record.id, effect.index);
        const right = [...answers.values()].filter((option) => option === step.answer).length;
        const asked = members.filter((m) => m.active).length;
        await this.members.fanOut(`quiz:${record.id}:r${effect.index}`, members, () => [
          { kind: 'quizResult', flow, step: step.id, answered: answers.size, members: asked, right },
        ]);
      } else {
        await this.finish(group, record, members);
      }
    }
  }

  private async finish(group: Group, record: QuizRecord, members: Member[]): Promise<void> {
    const { flow, questions } = record.snapshot.context;
    const answered: QuestionAnswers[] = [];
    for (const [index, stepId] of questions.entries()) {
      const step = this.question(flow, stepId);
      answered.push({
        answer: step.answer,
        answers: await this.deps.store.answers(group.id, record.id, index),
      });
    }
    const { scores, participants, groupScore, ranking, top } = scoreQuiz(answered, members);
    const active = members.filter((m) => m.active);
    await this.members.fanOut(`quiz:${record.id}:end`, members, (member) => [
      {
        kind: 'quizEnd',
        top,
        place: ranking.findIndex((m) => m.learner === member.learner) + 1,
        count: ranking.length,
        points: scores[member.learner] ?? 0,
        total: questions.length,
        score: groupScore,
      },
    ]);
    await this.deps.notifier.notify(
      group.coordinator,
      `quiz:${record.id}:summary`,
      () => ({
        kind: 'quizSummary',
        group: group.name,
        flow,
        participants: participants.size,
        members: active.length,
        score: groupScore,
        top,
      }),
      group.locale,
    );
    const result = {
      id: record.id,
      flow,
      finishedAt: this.clock(),
      participants: participants.size,
      groupScore,
      scores,
    };
    await this.deps.store.finish(group.id, result, questions.length);
  }

  private question(flowId: string, stepId: string) {
    const flow = this.deps.course.flow(flowId);
    const step = flow?.steps.find((s) => s.id === stepId);
    if (!step || step.type !== 'question')
      throw new Error(`quiz question ${flowId}/${stepId} is not in the course`);
    return step;
  }
}

function effectsOf(actions: { type: string; params?: unknown }[]): QuizEffect[] {
  return actions
    .filter((a) => a.type === 'ask' || a.type === 'reveal' || a.type === 'finish')
    .map((a) => ({ type: a.type as QuizEffect['type'], index: (a.params as { index: number }).index }));
}
