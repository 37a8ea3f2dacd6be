/** What the engine is built from, and what its steps use. */
import type { LearnerMachine } from '../flows/compile-machine.js';
import type { Course } from '../flows/course.js';
import type { CoordinatorStore } from '../groups/coordinator-store.js';
import type { GroupDesk } from '../groups/group-desk.js';
import type { GroupStore } from '../groups/group-store.js';
import type { PersonIds } from '../privacy/person-ids.js';
import type { QuizRunner } from '../groups/quiz/quiz-runner.js';
import type { QuizStore } from '../groups/quiz/quiz-store.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import type { Lexicon } from '../reading/lexicon.js';
import type { ReplyRenderer } from '../replies/render-reply.js';
import type { CertificateNameStore } from '../store/certificate-name-store.js';
import type { CompletionStore } from '../store/completion-store.js';
import type { OptOutStore } from '../store/opt-out-store.js';
import type { SessionStore } from '../store/session-store.js';
import type { SessionTurns } from '../store/session-turns.js';
import type { SuggestionStore } from '../store/suggestion-store.js';
import type { AnswerReader } from '../flows/machine/answer-reader.js';
import type { FunnelStore } from '../store/funnel-store.js';
import type { TurnNudges } from './nudge-commands.js';
import type { LearnerSnapshots } from './snapshots.js';

export interface EngineDeps {
  course: Course;
  machine: LearnerMachine;
  render: ReplyRenderer;
  lexicon: Lexicon;
  /** the keyed ids of people: a learner's id, their completion codes' seed */
  personIds: PersonIds;
  sessions: SessionStore;
  turns: SessionTurns;
  completions: CompletionStore;
  groups: GroupStore;
  coordinators: CoordinatorStore;
  desk: GroupDesk;
  /** group quizzes; without an outbound sender there are none */
  quizzes?: Pick<QuizRunner, 'answer'> | null;
  /** group quiz answers, which BORRAR takes the learner's out of */
  quizStore: Pick<QuizStore, 'forgetLearner'>;
  /** opt-outs kept after BORRAR */
  optOuts: OptOutStore;
  /** learners' CORREGIR suggestions; without it CORREGIR is not understood */
  suggestions?: Pick<SuggestionStore, 'record' | 'forgetLearner'> | null;
  /** the learners' time zone, for the daily cap on suggestions (the process's TZ when absent) */
  timeZone?: string;
  /** names for certificates (NOMBRE); without it, NOMBRE is an ordinary message */
  certificateNames?: CertificateNameStore | null;
  /** BORRAR takes the learner's waiting messages out of the outbound queue; none without a sender */
  outbox?: { forgetRecipient(learner: string): Promise<void> } | null;
  clock?: () => number;
  /** after this long without a message, a learner is welcomed back to the step they were on */
  resumeAfterMs?: number;
  spelling?: SpellingPolicy;
  /** nudges for learners who go quiet mid-lesson; none without */
  nudges?: TurnNudges | null;
  /** the funnel's counters (where learners stop) and the reader that names a wrong option; none without */
  funnel?: { store: FunnelStore; reader: AnswerReader } | null;
}

/** The engine's deps with their defaults filled in, and the machine's snapshots. */
export interface StepDeps extends Omit<EngineDeps, 'clock' | 'resumeAfterMs'> {
  resumeAfterMs: number;
  snapshots: LearnerSnapshots;
}
