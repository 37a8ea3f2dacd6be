/**
 * Wires broadcasts to the stores and the outbound sender: the one way the app plugin, the worker
 * child of the kill test and the measurement script build them. The stores come built (once, by
 * src/plugins/create-stores.ts); the recipient pager is built here, once, for the service and the
 * fan-out alike, because its page size is a broadcast setting.
 */
import type { RedisClient, RedisTarget } from '../store/redis-client.js';
import type { GroupStore } from '../groups/group-store.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import type { PersonIds } from '../privacy/person-ids.js';
import type { Channel } from '../privacy/phone.js';
import type { Keyspace } from '../store/keyspace.js';
import type { SessionStore } from '../store/session-store.js';
import { BroadcastQueue, type BroadcastQueueOptions } from './broadcast-queue.js';
import { BroadcastService } from './broadcast-service.js';
import type { BroadcastStore } from './broadcast-store.js';
import { backlogLimits, Fanout, type FanoutLogger, type FanoutSender } from './fanout.js';
import { RecipientPager } from './recipients.js';

/** The stores broadcasts use (src/plugins/create-stores.ts builds them). */
export interface BroadcastStores {
  keyspace: Keyspace;
  broadcastStore: BroadcastStore;
  sessions: SessionStore;
  groups: GroupStore;
  personIds: PersonIds;
}

export interface BroadcastsOptions {
  redis: RedisClient;
  /** where BullMQ's connection goes */
  redisTarget: RedisTarget;
  stores: BroadcastStores;
  sender: FanoutSender;
  /** lesson ids, for the notFinished target */
  lessons: readonly string[];
  spelling?: SpellingPolicy;
  /** the sender's rates, to size the backlog the fan-out keeps */
  rates: Record<Channel, number>;
  /** America/La_Paz */
  tz: string;
  /** let crons repeat more often than once an hour (tests; BROADCAST_ALLOW_FAST_REPEAT) */
  allowFastRepeat?: boolean;
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
  const { keyspace, broadcastStore: store, sessions, groups, personIds } = options.stores;
  const pager = new RecipientPager(options.redis, keyspace, pageSize);
  const queue = new BroadcastQueue({
    redisTarget: options.redisTarget,
    keys: keyspace,
    queueName: options.queueName,
    worker: options.worker,
    logger: options.logger,
  });
  const fanout = new Fanout({
    redis: options.redis,
    store,
    pager,
    sessions,
    personIds,
    groups,
    sender: options.sender,
    spelling: options.spelling,
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
    sessions,
    groups,
    deliveries: options.sender.deliveries,
    lessons: options.lessons,
    tz: options.tz,
    allowFastRepeat: options.allowFastRepeat,
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
