import { crc32 } from 'node:zlib';

/**
 * How many buckets the learner index has: enough to spread it over any cluster's masters, few
 * enough that a broadcast's paging over empty ones costs nothing. Changing it strands every
 * learner in the wrong bucket (BORRAR would not find them there).
 */
export const LEARNER_INDEX_BUCKETS = 64;

/** The learner index bucket of a learner id: CRC-32 of the id, modulo the buckets. */
export function learnerBucket(learner: string): number {
  return crc32(learner) % LEARNER_INDEX_BUCKETS;
}

/**
 * Every Redis key Ayni writes, named in one place, all under the configured prefix (REDIS_PREFIX,
 * 'ayni:' by default) so Ayni can share a Redis with other software. It is longer than our usual
 * 300 lines on purpose: one list of every key is the point of the file (one short method each).
 *
 * Hash tags: Redis Cluster puts a key in the slot of the part between `{` and `}`. Keys that one
 * script or MULTI uses together share a tag, so each script stays in one slot:
 * - `{<learnerId>}`  a learner's session, lock, current group, replay log and nudge mark (the turn
 *                    scripts read them), and their kept opt-out, quiz points and waiting sends;
 * - `{g:<groupId>}`  a group's record, member set, quiz keys and the quiz lock;
 * - `{coordinators}` the coordinators' two hashes;
 * - `{bc:<id>}`      one broadcast's record and fan-out progress;
 * - `{li:<n>}`       bucket n of the learner index (one key per bucket, so no slot holds them all);
 * - `{<dedupeKey>}`  one outbound message's delivery log (counters, outcomes, claims);
 * - `{<sender>}`     one sender's pacing timeline;
 * - `{nudge:<n>}`    one of the NUDGE_BUCKETS sets of due nudges.
 * Keys without a tag are looked up alone. Phone numbers never appear in a key: learners and
 * coordinators are named by their keyed id, PersonIds.learnerId(phone) (src/privacy/person-ids.ts).
 *
 * Changing any string here orphans the data already stored under the old name.
 */
/** How many sorted sets the due nudges are spread over (Keyspace.nudgesDue). */
export const NUDGE_BUCKETS = 16;

/** A learner's nudge bucket: a small hash of their id (already a keyed hash, so evenly spread). */
export function nudgeBucketOf(learner: string): number {
  let hash = 0;
  for (let i = 0; i < learner.length; i++) hash = (hash * 31 + learner.charCodeAt(i)) >>> 0;
  return hash % NUDGE_BUCKETS;
}

export class Keyspace {
  /**
   * `cluster`: the keys live in a Redis Cluster, so BullMQ's keys get one hash tag (bullPrefix).
   * Off for one Redis and Sentinel, where the untagged prefix keeps existing queues where they are.
   */
  constructor(
    private readonly prefix = 'ayni:',
    private readonly options: { cluster?: boolean } = {},
  ) {}

  // ---- learners (src/store) ---------------------------------------------------------------

  /** string: the learner's session JSON (machine snapshot, address, seen MessageSids). Tag {<learner>}. */
  session(learner: string): string {
    return `${this.prefix}{${learner}}:session`;
  }

  /**
   * string: the owner token of the learner's turn lock, with a TTL. Tag {<learner>}. The group
   * quiz locks a group with the same key shape, passing `g:<groupId>`: `{g:<groupId>}:lock`.
   */
  lock(learner: string): string {
    return `${this.prefix}{${learner}}:lock`;
  }

  /** string: the id of the group the learner is in now (one at a time). Tag {<learner>}. */
  learnerGroup(learner: string): string {
    return `${this.prefix}{${learner}}:group`;
  }

  /** The session and the lock (the benchmark weighs them); BORRAR deletes erasedWithLearner(). */
  sessionAndLock(learner: string): string[] {
    return [this.session(learner), this.lock(learner)];
  }

  /**
   * string: the keyed fingerprints (6 bytes each, PersonIds.messageFingerprint) of every MessageSid
   * this learner's turns handled, so that a signed request replayed at any later time changes
   * nothing. KEPT AFTER BORRAR: it holds no message, and without it a replayed BORRAR or STOP
   * would act again. Tag {<learner>}.
   */
  replayLog(learner: string): string {
    return `${this.prefix}{${learner}}:sids`;
  }

  /**
   * set: the learner ids of one bucket of the learner index (src/store/learner-index.ts), which
   * broadcasts to everyone page through. A learner is in bucket learnerBucket(id); each bucket
   * has its own tag {li:<n>}, so a million learners spread over the cluster's masters.
   */
  learnerIndex(learner: string): string {
    return this.learnerIndexBucket(learnerBucket(learner));
  }

  /** The learner index's bucket number n (0 ≤ n < LEARNER_INDEX_BUCKETS). Tag {li:<n>}. */
  learnerIndexBucket(n: number): string {
    return `${this.prefix}learners:{li:${n}}`;
  }

  /** Every bucket of the learner index, in paging order. */
  learnerIndexBuckets(): string[] {
    return Array.from({ length: LEARNER_INDEX_BUCKETS }, (_, n) => this.learnerIndexBucket(n));
  }

  /**
   * set: the learner index before it had buckets (one key, one slot). Emptied into the buckets
   * at start (LearnerIndex.moveLegacy); until then broadcasts page it too. No tag.
   */
  legacyLearners(): string {
    return `${this.prefix}learners`;
  }

  /** string: a completion code's record (section, day, learner); looked up by code alone. No tag. */
  completion(code: string): string {
    return `${this.prefix}completion:${code}`;
  }

  // ---- coordinators and groups (src/groups) -----------------------------------------------

  /** hash: coordinator phone -> name. Tag {coordinators}. */
  coordinatorNames(): string {
    return `${this.prefix}{coordinators}:names`;
  }

  /** hash: coordinator phone -> first registration time (ms). Tag {coordinators}. */
  coordinatorSince(): string {
    return `${this.prefix}{coordinators}:since`;
  }

  /** set: the ids of the groups a coordinator created, keyed by their PersonIds.learnerId(phone). No tag. */
  coordinatorGroups(coordinatorId: string): string {
    return `${this.prefix}coordinator:${coordinatorId}:groups`;
  }

  /** hash: the group record (name, locale, coordinator, code, createdAt). Tag {g:<id>}. */
  group(groupId: string): string {
    return `${this.prefix}{g:${groupId}}:info`;
  }

  /** set: the group's learner ids. Tag {g:<id>}. */
  members(groupId: string): string {
    return `${this.prefix}{g:${groupId}}:members`;
  }

  /** string: join code -> group id, claimed with SET NX. No tag. */
  joinCode(code: string): string {
    return `${this.prefix}groupcode:${code}`;
  }

  // ---- group quizzes (src/groups/quiz), all tagged {g:<id>} ---------------------------------

  /** string: the id of the quiz running in the group (absent when none runs). */
  currentQuiz(groupId: string): string {
    return `${this.prefix}{g:${groupId}}:quiz`;
  }

  /** string: the quiz record JSON (machine snapshot, lesson, who was asked). */
  quiz(groupId: string, quizId: string): string {
    return `${this.currentQuiz(groupId)}:${quizId}`;
  }

  /** hash: learner -> option, the first answer to question n only (HSETNX). */
  quizAnswers(groupId: string, quizId: string, n: number): string {
    return `${this.quiz(groupId, quizId)}:a:${n}`;
  }

  /** hash: learner -> right answers in the quiz. */
  quizScores(groupId: string, quizId: string): string {
    return `${this.quiz(groupId, quizId)}:score`;
  }

  /** list: finished quizzes' results JSON, newest first. */
  quizResults(groupId: string): string {
    return `${this.prefix}{g:${groupId}}:quizzes`;
  }

  // ---- broadcasts (src/broadcasts) ----------------------------------------------------------

  /** hash: `json` (the Broadcast) and `state` (active | cancelled). Tag {bc:<id>}. */
  broadcast(id: string): string {
    return `${this.prefix}{bc:${id}}:info`;
  }

  /** sorted set: the occurrences started, scored by start time. Tag {bc:<id>}. */
  broadcastOccurrences(id: string): string {
    return `${this.prefix}{bc:${id}}:occs`;
  }

  /** hash: one occurrence's fan-out progress (`cursor`, `done`, `pages`). Tag {bc:<id>}. */
  broadcastProgress(id: string, occurrence: string): string {
    return `${this.prefix}{bc:${id}}:occ:${occurrence}`;
  }

  /** string: `<id> <sha256(body)>` for an Idempotency-Key, given as its sha256. No tag. */
  broadcastIdempotency(keyHash: string): string {
    return `${this.prefix}bc-idem:${keyHash}`;
  }

  // ---- the outbound sender's delivery log and pacing (src/messaging), under `out:` --------

  /** hash: the message's counters (queued, sent, delivered…, reasons). Tag {<dedupeKey>}. */
  deliveryStats(dedupeKey: string): string {
    return `${this.prefix}out:{${dedupeKey}}:stats`;
  }

  /** hash: recipient key -> the recipient's outcome (queued, sent, skipped:…, failed:…). Tag {<dedupeKey>}. */
  deliveryRecipients(dedupeKey: string): string {
    return `${this.prefix}out:{${dedupeKey}}:rcpt`;
  }

  /**
   * string: the send claim JSON of one recipient (at, sid, uncertain, channel), named by its
   * recipient key (src/messaging/recipient-key.ts), never the learner id. Tag {<dedupeKey>}.
   */
  deliveryClaim(dedupeKey: string, recipient: string): string {
    return `${this.prefix}out:{${dedupeKey}}:${recipient}`;
  }

  /** hash: `<sid>|<status>` pairs already counted, so repeated callbacks count once. Tag {<dedupeKey>}. */
  deliveryCounted(dedupeKey: string): string {
    return `${this.prefix}out:{${dedupeKey}}:counted`;
  }

  /** hash: a Twilio MessageSid's message (dedupeKey) and last status, for callbacks. No tag. */
  deliverySid(sid: string): string {
    return `${this.prefix}out:sid:${sid}`;
  }

  /** string: the sender's next free send slot (µs), expiring once idle. Tag {<sender>}. */
  pace(sender: string): string {
    return `${this.prefix}out:pace:{${sender}}`;
  }

  // ---- WhatsApp's interactive messages (src/store/whatsapp-content-store.ts) ---------------

  /**
   * hash: Content resource friendly name (`ayni_<lang>_<what>`) -> its ContentSid (HX…), written
   * whole by `npm run whatsapp:sync`, read by every process before it sends a button. No tag.
   */
  whatsappContent(): string {
    return `${this.prefix}whatsapp:content`;
  }

  // ---- nudges for learners who go quiet (src/nudges), under `nudge:` --------------------------

  /**
   * sorted set: learner id -> when their next nudge is due (ms). Sharded into NUDGE_BUCKETS sets,
   * each with its own tag {nudge:<n>}, so that a Redis Cluster spreads them; a learner's bucket
   * comes from their id (nudgeBucketOf). Members leave on BORRAR (SessionStore.deleteAll).
   */
  nudgesDue(bucket: number): string {
    return `${this.prefix}nudge:due:{nudge:${bucket}}`;
  }

  /** The due-nudge set that holds this learner. */
  nudgesDueOf(learner: string): string {
    return this.nudgesDue(nudgeBucketOf(learner));
  }

  /**
   * hash: one day's nudge counters (`sent`, `skipped`, `back`, and `sent:g:<groupId>`,
   * `back:g:<groupId>` per group); 90 days. Counts only, never who. No tag.
   */
  nudgeStats(day: string): string {
    return `${this.prefix}nudge:stats:${day}`;
  }

  /**
   * string: when the learner was last nudged and their group (`<ms> <groupId|->`), for 24 hours,
   * so that their next message counts as a comeback; taken by the turn's lock-and-load script
   * (src/store/session-turns.ts), hence the tag {<learner>}. Deleted by BORRAR.
   */
  learnerNudged(learner: string): string {
    return `${this.prefix}{${learner}}:nudged`;
  }

  /**
   * hash: one day's funnel counters of one flow (lesson or feasibility check), per language and
   * channel: `<event>|<lang>|<channel>` -> count (funnel-counter.ts lists the events). 90 days.
   * Counts only, never who. No tag.
   */
  funnel(day: string, flowId: string): string {
    return `${this.prefix}funnel:${day}:${flowId}`;
  }

  // ---- prefixes other libraries build on -----------------------------------------------------

  /**
   * BullMQ's `prefix` for every queue and worker: BullMQ writes `<this>:<queue>:…`. The queues:
   * `<OUTBOUND_QUEUE>-sms` and `<OUTBOUND_QUEUE>-whatsapp` (the sender's lanes), `<BROADCAST_QUEUE>`
   * (fan-outs) and `quiz-timers` (group quiz question timeouts).
   *
   * In a Redis Cluster BullMQ's scripts use many keys of a queue at once, so, as BullMQ's guide
   * says, the prefix is one hash tag: `{ayni:bull}`. Every queue then lives in one slot (one
   * master); the learners' keys, which are most of the data and traffic, spread over all.
   */
  bullPrefix(): string {
    return this.options.cluster ? `{${this.prefix}bull}` : `${this.prefix}bull`;
  }

  /** @fastify/rate-limit's nameSpace for the admin API: it counts under `<this><client address>`. */
  rateLimit(): string {
    return `${this.prefix}ratelimit:`;
  }

  // ---- the coordinator console (src/routes/console), under `console:` -----------------------
  // Its login limits are counted by @fastify/rate-limit under rateLimit() above.

  /** hash: the keyed hash of the login code texted to a coordinator, and the tries used; 10 minutes. No tag. */
  consoleCode(coordinatorId: string): string {
    return `${this.prefix}console:code:${coordinatorId}`;
  }

  /** string: a console session JSON (viewer, CSRF token), by the sha256 of the cookie's id. No tag. */
  consoleSession(sessionHash: string): string {
    return `${this.prefix}console:session:${sessionHash}`;
  }

  /**
   * string: a login counter of the console before it counted with @fastify/rate-limit (e.g.
   * `code:phone:<id>`). Nothing writes these now; the id migration still moves them.
   */
  legacyConsoleRateLimit(bucket: string): string {
    return `${this.prefix}console:rl:${bucket}`;
  }

  /**
   * string: a one-time console login link of local mode, by the sha256 of its token; taken with
   * GETDEL on first use; a day. No tag.
   */
  consoleLoginLink(tokenHash: string): string {
    return `${this.prefix}console:link:${tokenHash}`;
  }

  /** hash: who sent a broadcast from the console, when, and a summary. No tag. */
  consoleBroadcast(id: string): string {
    return `${this.prefix}console:broadcast:${id}`;
  }

  /** sorted set: the broadcasts an owner ('admin', a coordinator id, or 'all') sent, by time. No tag. */
  consoleBroadcasts(owner: string): string {
    return `${this.prefix}console:broadcasts:${owner}`;
  }

  /**
   * hash: console owner -> their block of "try the bot" numbers (+5910, the block in 7 digits, a
   * suffix), claimed once in order and never reused, so no two owners share a test learner. No tag.
   */
  consoleTryBlocks(): string {
    return `${this.prefix}console:try-blocks`;
  }

  /** "Try the bot": `cfg` hash (phone suffix, channel) and `log` list (the chat so far). No tag. */
  consoleTry(owner: string, what: 'cfg' | 'log'): string {
    return `${this.prefix}console:try:${owner}:${what}`;
  }

  // ---- learners' suggestions for translations (src/store/suggestion-store.ts) ----------------

  /**
   * hash: suggestion text -> how many learners sent it, for one text in one language. It holds no
   * learner id and no number. Several learners share it: no tag, always its own command.
   */
  textSuggestions(lang: string, textKey: string): string {
    return `${this.prefix}suggest:${lang}:${textKey}`;
  }

  /** sorted set: `<lang>|<textKey>` scored by the suggestions it has; review pages list from it. No tag. */
  suggestedTexts(): string {
    return `${this.prefix}suggest:texts`;
  }

  /**
   * set: `<lang>|<textKey>|<text>` the learner suggested, so a repeat is not counted twice. The
   * only link between a learner and their suggestions; BORRAR deletes it. Tag {<learner>}.
   */
  learnerSuggestions(learner: string): string {
    return `${this.prefix}{${learner}}:suggested`;
  }

  /** hash: day (YYYY-MM-DD) -> suggestions sent that day, expiring after two days. Tag {<learner>}. */
  learnerSuggestionDays(learner: string): string {
    return `${this.prefix}{${learner}}:suggestdays`;
  }

  // ---- translation review (src/store/reviewer-store.ts, proposal-store.ts) --------------------

  /**
   * hash: reviewer phone -> JSON {name, languages}, an administrator's record like the
   * coordinators'. Tag {reviewers}.
   */
  reviewers(): string {
    return `${this.prefix}{reviewers}:info`;
  }

  /** hash: text key -> JSON proposal {text, reviewed, by, at} for one language, from the console. No tag. */
  reviewProposals(lang: string): string {
    return `${this.prefix}review:proposals:${lang}`;
  }

  // ---- erasure: what BORRAR deletes, and the little it keeps ---------------------------------

  /**
   * string: '1' while a learner who sent STOP and then BORRAR stays opted out, so the outbound
   * sender still refuses every message to the number; START or ALTA removes it. Tag {<learner>}.
   * Kept after BORRAR (keptAfterErasure).
   */
  optOut(learner: string): string {
    return `${this.prefix}{${learner}}:optout`;
  }

  /** hash: quiz id -> the learner's points in that group quiz (the group keeps only totals). Tag {<learner>}. */
  learnerQuizPoints(learner: string): string {
    return `${this.prefix}{${learner}}:quizpoints`;
  }

  /**
   * set: the dedupeKeys of the outbound messages still waiting to go to the learner, so BORRAR
   * can take their send jobs (which hold the number and the text) out of the queue. Tag {<learner>}.
   */
  learnerOutbox(learner: string): string {
    return `${this.prefix}{${learner}}:outbox`;
  }

  /**
   * string: the name a learner asked to have on their certificate (NOMBRE <name>), kept for that
   * alone, expiring after CERTIFICATE_NAME_DAYS, and deleted by BORRAR. Tag {<learner>}.
   */
  certificateName(learner: string): string {
    return `${this.prefix}{${learner}}:certname`;
  }

  /**
   * Every key named by the learner that BORRAR deletes outright: the session, the lock, the
   * current group, quiz points, pending sends, their link to the suggestions they sent, the name for the certificate, and the console's login code and per-number rate
   * limit for the number. (Sets and hashes that hold the learner among others are cleaned by
   * their stores: the learner index, group members, quiz answers.)
   */
  erasedWithLearner(learner: string): string[] {
    return [
      this.session(learner),
      this.lock(learner),
      this.learnerGroup(learner),
      this.learnerQuizPoints(learner),
      this.learnerOutbox(learner),
      this.learnerSuggestions(learner),
      this.learnerSuggestionDays(learner),
      this.certificateName(learner),
      this.learnerNudged(learner),
      this.consoleCode(learner),
      this.consoleNumberLimit(learner),
    ];
  }

  /**
   * string: the console's count of login codes asked for this number (routes/console/limits.ts
   * names it `console:code:phone:<learner>`). @fastify/rate-limit keeps a limit made with
   * createRateLimit under rateLimit(), then the route's method and url, which such a limit has
   * not ("undefinedundefined"), and a dash. tests/erasure checks that BORRAR finds it. No tag.
   */
  consoleNumberLimit(learner: string): string {
    return `${this.rateLimit()}undefinedundefined-console:code:phone:${learner}`;
  }

  /**
   * The only keys that may still name the learner after BORRAR, each to keep a promise; the
   * README's "What BORRAR keeps" lists them and says why.
   */
  keptAfterErasure(learner: string): string[] {
    return [this.optOut(learner), this.replayLog(learner)];
  }
}
