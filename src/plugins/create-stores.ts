/**
 * Every store, built once from the keyspace: the one way the app (plugins/stores.ts), the chat,
 * the tests and the scripts build them. A store is a thin class over Redis keys; which keys, and
 * why they share hash tags, is in src/store/keyspace.ts.
 */
import type { RedisClient } from '../store/redis-client.js';
import { BroadcastStore } from '../broadcasts/broadcast-store.js';
import { CoordinatorStore } from '../groups/coordinator-store.js';
import { GroupStore } from '../groups/group-store.js';
import { QuizStore } from '../groups/quiz/quiz-store.js';
import { DeliveryLog } from '../messaging/delivery-log.js';
import { SenderPacer } from '../messaging/pacer.js';
import { PendingSends } from '../messaging/pending-sends.js';
import type { PersonIds } from '../privacy/person-ids.js';
import { CertificateNameStore } from '../store/certificate-name-store.js';
import { CompletionStore } from '../store/completion-store.js';
import type { Keyspace } from '../store/keyspace.js';
import { FunnelStore } from '../store/funnel-store.js';
import { LoginLinks } from '../store/login-links.js';
import { NudgeSchedule } from '../store/nudge-schedule.js';
import { NudgeStats } from '../store/nudge-stats.js';
import { OptOutStore } from '../store/opt-out-store.js';
import { SenderLock } from '../store/sender-lock.js';
import { SessionStore } from '../store/session-store.js';
import { SessionTurns } from '../store/session-turns.js';
import { SuggestionStore } from '../store/suggestion-store.js';
import { ProposalStore } from '../store/proposal-store.js';
import { ReviewerStore } from '../store/reviewer-store.js';
import { WhatsAppContentStore } from '../store/whatsapp-content-store.js';

export interface Stores {
  /** the names of the keys every store below uses */
  keyspace: Keyspace;
  /** the keyed ids of people (ID_SECRET): whoever names a learner or a coordinator uses these */
  personIds: PersonIds;
  /** learners' sessions, the learner index */
  sessions: SessionStore;
  /** a learner's turn: lock, load, save, unlock in two round trips */
  sessionTurns: SessionTurns;
  /** the per-learner (and per-group quiz) lock, for work outside a turn */
  senderLock: SenderLock;
  completions: CompletionStore;
  groups: GroupStore;
  coordinators: CoordinatorStore;
  /** group quizzes: the running one, answers, scores, results */
  quizStore: QuizStore;
  broadcastStore: BroadcastStore;
  /** what happened to each outbound message */
  deliveries: DeliveryLog;
  /** the senders' pacing timelines */
  pacer: SenderPacer;
  /** local mode's one-time console login links */
  loginLinks: LoginLinks;
  /** opt-outs kept after BORRAR */
  optOuts: OptOutStore;
  /** each learner's outbound messages still waiting, for BORRAR */
  pendingSends: PendingSends;
  /** learners' CORREGIR suggestions, per text, without who sent them */
  suggestions: SuggestionStore;
  /** native speakers who review texts in the console */
  reviewers: ReviewerStore;
  /** reviewers' corrections, kept until an administrator downloads them */
  proposals: ProposalStore;
  /** the ContentSids of WhatsApp's buttons and lists (npm run whatsapp:sync) */
  whatsappContent: WhatsAppContentStore;
  /** the names learners asked to have on their certificates */
  certificateNames: CertificateNameStore;
  /** when each quiet learner's next nudge is due */
  nudgeSchedule: NudgeSchedule;
  /** nudges sent, skipped, answered, per day */
  nudgeStats: NudgeStats;
  /** where learners stop: counters per day, flow, step, language and channel */
  funnel: FunnelStore;
}

export function createStores(
  redis: RedisClient,
  keyspace: Keyspace,
  personIds: PersonIds,
  options: { clock?: () => number } = {},
): Stores {
  return {
    keyspace,
    personIds,
    sessions: new SessionStore(redis, keyspace),
    sessionTurns: new SessionTurns(redis, keyspace, personIds),
    senderLock: new SenderLock(redis, keyspace),
    completions: new CompletionStore(redis, keyspace),
    groups: new GroupStore(redis, keyspace, personIds, { clock: options.clock }),
    coordinators: new CoordinatorStore(redis, keyspace, options.clock),
    quizStore: new QuizStore(redis, keyspace),
    broadcastStore: new BroadcastStore(redis, keyspace),
    deliveries: new DeliveryLog(redis, keyspace),
    pacer: new SenderPacer(redis, keyspace),
    loginLinks: new LoginLinks(redis, keyspace),
    optOuts: new OptOutStore(redis, keyspace),
    pendingSends: new PendingSends(redis, keyspace),
    suggestions: new SuggestionStore(redis, keyspace),
    reviewers: new ReviewerStore(redis, keyspace),
    proposals: new ProposalStore(redis, keyspace),
    whatsappContent: new WhatsAppContentStore(redis, keyspace),
    certificateNames: new CertificateNameStore(redis, keyspace),
    nudgeSchedule: new NudgeSchedule(redis, keyspace),
    nudgeStats: new NudgeStats(redis, keyspace),
    funnel: new FunnelStore(redis, keyspace),
  };
}
