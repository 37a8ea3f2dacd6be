/**
 * Wires a conversation engine to the stores: the one way the webhook, the chat and the tests
 * build it. The stores come built (createStores); what is built here holds no Redis keys of its own.
 */
import type { ContentRuntime } from './content-runtime.js';
import type { Stores } from './create-stores.js';
import { GroupDesk, type NoticeSender } from '../groups/group-desk.js';
import { QuizRunner } from '../groups/quiz/quiz-runner.js';
import type { QuizTimers } from '../groups/quiz/quiz-timers.js';
import { ConversationEngine } from '../conversation/engine.js';
import type { NudgePolicy } from '../conversation/nudge-policy.js';
import { createNotifier, type Outbox } from '../replies/outbound-notifier.js';

export type EngineStores = Pick<
  Stores,
  | 'personIds'
  | 'sessions'
  | 'sessionTurns'
  | 'senderLock'
  | 'completions'
  | 'groups'
  | 'coordinators'
  | 'quizStore'
  | 'optOuts'
  | 'suggestions'
  | 'nudgeSchedule'
  | 'nudgeStats'
  | 'funnel'
> &
  Partial<Pick<Stores, 'certificateNames'>>;

export interface EngineOptions {
  clock?: () => number;
  resumeAfterMs?: number;
  /**
   * Sends to people who did not just write (coordinators, group members). Without it, nobody is
   * told of joins and there are no group quizzes.
   */
  outbox?:
    | (Outbox & {
        sendMany: QuizRunnerOutbox['sendMany'];
        /** BORRAR: the learner's waiting messages out of the queue */
        forgetRecipient?(learner: string): Promise<void>;
      })
    | null;
  /** the quiz question timers; needed with an outbox for group quizzes */
  timers?: Pick<QuizTimers, 'schedule' | 'closeNow'> | null;
  quizTimeoutMs?: number;
  /** how a coordinator's AVISO goes out; without it AVISO is not a command */
  notices?: NoticeSender | null;
  /** when quiet learners are nudged (NUDGE_AFTER); without it, or with no delays, never */
  nudgePolicy?: NudgePolicy | null;
  /** the learners' time zone (TZ), for the daily cap on suggestions; the process's when absent */
  timeZone?: string;
}

type QuizRunnerOutbox = ConstructorParameters<typeof QuizRunner>[0]['outbox'];

export function createConversationEngine(
  runtime: ContentRuntime,
  stores: EngineStores,
  options: EngineOptions = {},
) {
  const { sessions, completions, groups, coordinators, personIds } = stores;
  const outbox = options.outbox ?? null;
  const notifier = outbox
    ? createNotifier({ personIds, sessions, render: runtime.render, outbox, spelling: runtime.spelling })
    : null;
  const quizzes =
    outbox && notifier && options.timers
      ? new QuizRunner({
          store: stores.quizStore,
          groups,
          coordinators,
          sessions,
          lock: stores.senderLock,
          course: runtime.course,
          reader: runtime.reader,
          render: runtime.render,
          spelling: runtime.spelling,
          outbox,
          notifier,
          timers: options.timers,
          timeoutMs: options.quizTimeoutMs,
          clock: options.clock,
        })
      : null;
  const desk = new GroupDesk(
    groups,
    coordinators,
    notifier,
    runtime.course.lessons.map((l) => l.id),
    quizzes,
    options.notices ?? null,
  );
  const engine = new ConversationEngine({
    course: runtime.course,
    machine: runtime.machine,
    render: runtime.render,
    lexicon: runtime.lexicon,
    spelling: runtime.spelling,
    personIds,
    sessions,
    turns: stores.sessionTurns,
    completions,
    groups,
    coordinators,
    desk,
    quizzes,
    quizStore: stores.quizStore,
    optOuts: stores.optOuts,
    suggestions: stores.suggestions,
    certificateNames: stores.certificateNames ?? null,
    outbox: outbox?.forgetRecipient ? { forgetRecipient: outbox.forgetRecipient.bind(outbox) } : null,
    clock: options.clock,
    resumeAfterMs: options.resumeAfterMs,
    timeZone: options.timeZone,
    nudges: options.nudgePolicy?.enabled
      ? { policy: options.nudgePolicy, schedule: stores.nudgeSchedule, stats: stores.nudgeStats }
      : null,
    funnel: { store: stores.funnel, reader: runtime.reader },
  });
  return { engine, desk, quizzes };
}
