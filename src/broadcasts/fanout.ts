/**
 * One occurrence of a broadcast, from its target to the outbound sender, a page at a time:
 * page the candidates (recipients.ts), read their sessions, keep those the target picks, render
 * the text in each learner's language for their channel, and hand the page to sender.sendMany
 * with the dedupeKey `broadcast:<id>:<occurrence>`. The page cursor is saved after each page.
 *
 * - Opted-out learners, and candidates whose data was deleted (BORRAR), are recorded as skipped
 *   in the sender's delivery log (once each) and never enqueued. The sender checks again when
 *   each message goes out, so a STOP that arrives meanwhile still wins.
 * - Backlog: before each page the fan-out waits while a sender lane already has more than about
 *   `backlogSeconds` of its rate waiting. A broadcast to 100,000 then never queues all of them
 *   at once ahead of a group quiz's next question, and Redis holds a bounded queue. (Replies to a
 *   learner's own message never queue: they go back in the webhook's TwiML.)
 * - Cancel: checked before each page; a cancelled broadcast stops, and every recipient still
 *   waiting in the sender's queue is marked skipped (`cancelled`), which the sender's worker
 *   reads before sending.
 */
import type { RedisClient } from '../store/redis-client.js';
import type { Language } from '../content/locale-schema.js';
import { fitChannel } from '../replies/fit-channel.js';
import type { GroupStore } from '../groups/group-store.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import type { OutboundMessage } from '../messaging/outbound-message.js';
import type { OutboundSender } from '../messaging/outbound.js';
import type { PersonIds } from '../privacy/person-ids.js';
import { parseAddress, type Channel } from '../privacy/phone.js';
import type { SessionRecord, SessionStore } from '../store/session-store.js';
import { dedupeKeyOf, type Broadcast } from './broadcast.js';
import type { BroadcastStore } from './broadcast-store.js';
import { countsMissing, FIRST_PAGE, matches, type RecipientPager } from './recipients.js';

export type FanoutSender = Pick<OutboundSender, 'sendMany' | 'deliveries' | 'queue'>;

export interface FanoutLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface FanoutDeps {
  redis: RedisClient;
  store: BroadcastStore;
  /** pages the candidates: the same pager the service counts with */
  pager: RecipientPager;
  sessions: SessionStore;
  /** to check that a session holds the address it is keyed by */
  personIds: PersonIds;
  groups: Pick<GroupStore, 'get'>;
  sender: FanoutSender;
  spelling?: SpellingPolicy;
  /**
   * Most messages waiting per sender lane before the next page is enqueued; null: no limit.
   * See backlogLimits().
   */
  backlog?: Record<Channel, number> | null;
  clock?: () => number;
  logger?: FanoutLogger;
}

/** `interrupted`: this process is closing; the job goes back to the queue and continues later. */
export type FanoutResult = 'done' | 'cancelled' | 'missing' | 'interrupted';

const quiet: FanoutLogger = { info() {}, warn() {} };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waiting messages allowed per lane: `seconds` of the lane's rate, and at least one page. */
export function backlogLimits(
  seconds: number,
  rates: Record<Channel, number>,
  pageSize: number,
): Record<Channel, number> | null {
  if (seconds <= 0) return null;
  return {
    sms: Math.max(pageSize, Math.ceil(rates.sms * seconds)),
    whatsapp: Math.max(pageSize, Math.ceil(rates.whatsapp * seconds)),
  };
}

export class Fanout {
  private readonly pager: RecipientPager;
  private readonly clock: () => number;
  private readonly log: FanoutLogger;
  private stopping = false;

  constructor(private readonly deps: FanoutDeps) {
    this.pager = deps.pager;
    this.clock = deps.clock ?? Date.now;
    this.log = deps.logger ?? quiet;
  }

  /** Runs (or continues) one occurrence; safe to run again, and from several processes. */
  async run(id: string, occurrence: string): Promise<FanoutResult> {
    const { store } = this.deps;
    const found = await store.get(id);
    if (!found) return 'missing';
    const broadcast = found.broadcast;
    const dedupeKey = dedupeKeyOf(id, occurrence);
    if (found.cancelled) {
      await this.sweepCancelled(dedupeKey);
      return 'cancelled';
    }
    const now = this.clock();
    await store.startOccurrence(id, occurrence, now);
    const progress = await store.progress(id, occurrence);
    if (progress.done) return 'done';
    if (progress.cursor)
      this.log.info({ broadcast: id, occurrence, pages: progress.pages }, 'fan-out resumes');

    const locales = new Map<string, Language>();
    let cursor = progress.cursor ?? FIRST_PAGE;
    for (;;) {
      await this.waitForRoom(id);
      if (this.stopping) return 'interrupted';
      if (await store.isCancelled(id)) {
        await this.sweepCancelled(dedupeKey);
        return 'cancelled';
      }
      const page = await this.pager.page(broadcast.target, cursor);
      if (page.ids.length) {
        let locale: Language | undefined;
        if (page.groupId) {
          locale = locales.get(page.groupId);
          if (!locale) {
            locale = (await this.deps.groups.get(page.groupId))?.locale ?? 'es';
            locales.set(page.groupId, locale);
          }
        }
        await this.deliverPage(broadcast, dedupeKey, page.ids, now, locale);
      }
      if (!page.next) break;
      cursor = page.next;
      await store.savePage(id, occurrence, cursor);
    }
    await store.finishOccurrence(id, occurrence, this.clock());
    // A cancel that came while the last page went out: take back what has not gone yet.
    if (await store.isCancelled(id)) await this.sweepCancelled(dedupeKey);
    this.log.info({ broadcast: id, occurrence }, 'fan-out done');
    return 'done';
  }

  /** The process is closing: fan-outs stop after their current page (their cursor is saved). */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Takes back what has not gone yet: each recipient still queued whose send job can be removed
   * from the sender's queue (it is waiting, or delayed for a retry), or whose job is not there
   * yet, is marked skipped (`cancelled`); the sender's worker reads that outcome before sending.
   * A job a worker is already running (locked) is left to finish: that message is on its way
   * and is counted as sent.
   */
  async sweepCancelled(dedupeKey: string): Promise<number> {
    const { deliveries } = this.deps.sender;
    const key = deliveries.recipientsKey(dedupeKey);
    let cursor = '0';
    let swept = 0;
    do {
      const [next, flat] = await this.deps.redis.hscan(key, cursor, 'COUNT', 500);
      cursor = next;
      const queued: string[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) if (flat[i + 1] === 'queued') queued.push(flat[i]!);
      const done = await Promise.all(queued.map((recipient) => this.takeBack(dedupeKey, recipient)));
      swept += done.filter(Boolean).length;
    } while (cursor !== '0');
    return swept;
  }

  /** `recipient`: as the delivery log names them, which is also their send job's id. */
  private async takeBack(dedupeKey: string, recipient: string): Promise<boolean> {
    const { sender } = this.deps;
    const jobId = recipient;
    for (const queue of [sender.queue('sms'), sender.queue('whatsapp')]) {
      const state = await queue.getJobState(jobId);
      if (state === 'active') return false;
      // 0: a worker took it meanwhile (a running job is locked and cannot be removed).
      if (state !== 'unknown' && (await queue.remove(jobId)) === 0) return false;
    }
    return sender.deliveries.finishRecipient(dedupeKey, recipient, 'skipped', 'cancelled');
  }

  private async deliverPage(
    broadcast: Broadcast,
    dedupeKey: string,
    ids: string[],
    now: number,
    groupLocale: Language | undefined,
  ): Promise<void> {
    const { deliveries } = this.deps.sender;
    const sessions = await this.deps.sessions.loadMany(ids);
    const messages: OutboundMessage[] = [];
    const skips: Promise<boolean>[] = [];
    const skip = (learner: string, reason: string) =>
      skips.push(deliveries.finish(dedupeKey, learner, 'skipped', reason));
    ids.forEach((learner, i) => {
      const session = sessions[i];
      if (!session) {
        if (countsMissing(broadcast.target)) skip(learner, 'deleted');
        return;
      }
      if (!matches(broadcast.target, session, now)) return;
      const address = parseAddress(session.address);
      // A session always holds the address it was keyed by; anything else is not sent to.
      if (!address || this.deps.personIds.learnerId(address.phone) !== learner) {
        return void skip(learner, 'bad_address');
      }
      if (session.optedOut) return void skip(learner, 'opted_out');
      const message: OutboundMessage = {
        dedupeKey,
        to: session.address,
        body: this.body(broadcast, session, address.channel, groupLocale),
      };
      if (broadcast.template) message.template = broadcast.template;
      if (broadcast.smsFallback) message.smsFallback = true;
      messages.push(message);
    });
    await Promise.all(skips);
    if (messages.length) await this.deps.sender.sendMany(messages);
  }

  /** The text in the learner's language (Spanish when the broadcast has none), spelled for the channel. */
  private body(
    broadcast: Broadcast,
    session: SessionRecord,
    channel: Channel,
    groupLocale: Language | undefined,
  ): string {
    const wanted = session.snapshot.context.lang ?? groupLocale ?? 'es';
    const lang: Language = broadcast.text[wanted] ? wanted : 'es';
    const text = broadcast.text[lang] ?? broadcast.text.es;
    return fitChannel([{ lang, text }], channel, this.deps.spelling).join('\n');
  }

  private async waitForRoom(id: string): Promise<void> {
    const limits = this.deps.backlog;
    if (!limits) return;
    const { sender } = this.deps;
    for (let waited = 0; ; waited++) {
      const [sms, whatsapp] = await Promise.all([
        sender.queue('sms').getWaitingCount(),
        sender.queue('whatsapp').getWaitingCount(),
      ]);
      if (this.stopping || (sms < limits.sms && whatsapp < limits.whatsapp)) return;
      if (waited % 25 === 0 && (await this.deps.store.isCancelled(id))) return;
      await sleep(200);
    }
  }
}
