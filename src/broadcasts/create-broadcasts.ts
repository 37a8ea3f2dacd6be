/**
 * Wires broadcasts to Redis and the outbound sender: the one way the app plugin, the worker
 * child of the kill test and the measurement script build them.
 */
import type { Redis } from 'ioredis';
import type { GroupStore } from '../groups/group-store.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import type { Channel } from '../privacy/phone.js';
import type { SessionStore } from '../store/session-store.js';
import { BroadcastQueue, type BroadcastQueueOptions } from './broadcast-queue.js';
import { BroadcastService } from './broadcast-service.js';
import { BroadcastStore } from './broadcast-store.js';
import { backlogLimits, Fanout, type FanoutLogger, type FanoutSender } from './fanout.js';
import { RecipientPager } from './recipients.js';

export interface BroadcastsOptions {
  redis: Redis;
  redisUrl: string;
  keyPrefix: string;
  sender: FanoutSender;
  sessions: SessionStore;
  groups: GroupStore;
  /** lesson ids, for the notFinished target */
  lessons: readonly string[];
  spelling?: SpellingPolicy;
  /** the sender's rates, to size the backlog the fan-out keeps */
  rates: Record<Channel, number>;
  /** America/La_Paz */
  tz: string;
  queueName?: string;
  /** candidates per page, default 500 */
  pageSize?: number;
  /** seconds of each lane's rate the fan-out lets wait in the sender's queue; 0: no limit. Default 60. */
  backlogSeconds?: number;
  worker?: BroadcastQueueOptions['worker'];
  clock?: () => number;
  logger?: FanoutLogger;
}

export interface Broadcasts {
  service: BroadcastService;
  fanout: Fanout;
  queue: BroadcastQueue;
  store: BroadcastStore;
  /** runs fan-out jobs in this process */
  start(): void;
  close(): Promise<void>;
}

export function createBroadcasts(options: BroadcastsOptions): Broadcasts {
  const pageSize = options.pageSize ?? 500;
  const store = new BroadcastStore(options.redis, options.keyPrefix);
  const pager = new RecipientPager(options.redis, options.keyPrefix, pageSize);
  const queue = new BroadcastQueue({
    redisUrl: options.redisUrl,
    keyPrefix: options.keyPrefix,
    queueName: options.queueName,
    worker: options.worker,
    logger: options.logger,
  });
  const fanout = new Fanout({
    redis: options.redis,
    keyPrefix: options.keyPrefix,
    store,
    sessions: options.sessions,
    groups: options.groups,
    sender: options.sender,
    spelling: options.spelling,
    pageSize,
    backlog: backlogLimits(options.backlogSeconds ?? 60, options.rates, pageSize),
    clock: options.clock,
    logger: options.logger,
  });
  const service = new BroadcastService({
    redis: options.redis,
    store,
    queue,
    fanout,
    pager,
    sessions: options.sessions,
    groups: options.groups,
    deliveries: options.sender.deliveries,
    lessons: options.lessons,
    tz: options.tz,
    clock: options.clock,
  });
  return {
    service,
    fanout,
    queue,
    store,
    start: () => queue.start((id, occurrence) => fanout.run(id, occurrence)),
    close: async () => {
      fanout.stop();
      await queue.close();
    },
  };
}
