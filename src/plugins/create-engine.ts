/** Wires a conversation engine to Redis: the one way the webhook, the chat and the tests build it. */
import type { Redis } from 'ioredis';
import type { ContentRuntime } from './content-runtime.js';
import { CoordinatorStore } from '../groups/coordinator-store.js';
import { GroupDesk } from '../groups/group-desk.js';
import { GroupStore } from '../groups/group-store.js';
import { QuizRunner } from '../groups/quiz/quiz-runner.js';
import { QuizStore } from '../groups/quiz/quiz-store.js';
import type { QuizTimers } from '../groups/quiz/quiz-timers.js';
import { CompletionStore } from '../store/completion-store.js';
import { Keys } from '../store/keys.js';
import { SenderLock } from '../store/sender-lock.js';
import { SessionStore } from '../store/session-store.js';
import { SessionTurns } from '../store/session-turns.js';
import { ConversationEngine } from '../conversation/engine.js';
import { createNotifier, type Outbox } from '../replies/outbound-notifier.js';

export interface EngineOptions {
  keyPrefix: string;
  clock?: () => number;
  resumeAfterMs?: number;
  /**
   * Sends to people who did not just write (coordinators, group members). Without it, nobody is
   * told of joins and there are no group quizzes.
   */
  outbox?: (Outbox & { sendMany: QuizRunnerOutbox['sendMany'] }) | null;
  /** the quiz question timers; needed with an outbox for group quizzes */
  timers?: Pick<QuizTimers, 'schedule' | 'closeNow'> | null;
  quizTimeoutMs?: number;
}

type QuizRunnerOutbox = ConstructorParameters<typeof QuizRunner>[0]['outbox'];

export function createConversationEngine(runtime: ContentRuntime, redis: Redis, options: EngineOptions) {
  const keys = new Keys(options.keyPrefix);
  const sessions = new SessionStore(redis, keys);
  const completions = new CompletionStore(redis, keys);
  const groups = new GroupStore(redis, options.keyPrefix, { clock: options.clock });
  const coordinators = new CoordinatorStore(redis, options.keyPrefix, options.clock);
  const lock = new SenderLock(redis, keys);
  const outbox = options.outbox ?? null;
  const notifier = outbox
    ? createNotifier({ sessions, render: runtime.render, outbox, spelling: runtime.spelling })
    : null;
  const quizzes =
    outbox && notifier && options.timers
      ? new QuizRunner({
          store: new QuizStore(redis, options.keyPrefix),
          groups,
          coordinators,
          sessions,
          lock,
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
  );
  const engine = new ConversationEngine({
    course: runtime.course,
    machine: runtime.machine,
    render: runtime.render,
    lexicon: runtime.lexicon,
    spelling: runtime.spelling,
    sessions,
    turns: new SessionTurns(redis, keys),
    completions,
    groups,
    coordinators,
    desk,
    quizzes,
    clock: options.clock,
    resumeAfterMs: options.resumeAfterMs,
  });
  return { engine, sessions, completions, groups, coordinators, desk, quizzes, keys };
}
