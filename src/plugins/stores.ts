/**
 * The keyspace (REDIS_PREFIX), the keyed ids of people (ID_SECRET) and every store, built once on
 * the app's Redis and decorated: `app.stores` holds them all, for the plugins that wire services;
 * the stores routes and the console read directly also have their own names (`app.sessions`,
 * `app.completions`, `app.groups`, `app.coordinators`, `app.quizStore`, `app.personIds`), which
 * are the same objects.
 */
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CoordinatorStore } from '../groups/coordinator-store.js';
import type { GroupStore } from '../groups/group-store.js';
import type { QuizStore } from '../groups/quiz/quiz-store.js';
import { KeyedPersonIds, type PersonIds } from '../privacy/person-ids.js';
import type { CompletionStore } from '../store/completion-store.js';
import { Keyspace } from '../store/keyspace.js';
import type { LearnerIndex } from '../store/learner-index.js';
import { isCluster, redisTargetOf } from '../store/redis-client.js';
import type { SessionStore } from '../store/session-store.js';
import { createStores, type Stores } from './create-stores.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** every Redis key name, under REDIS_PREFIX */
    keyspace: Keyspace;
    /** the keyed ids of people, under ID_SECRET */
    personIds: PersonIds;
    stores: Stores;
    sessions: SessionStore;
    completions: CompletionStore;
    groups: GroupStore;
    coordinators: CoordinatorStore;
    quizStore: QuizStore;
  }
}

/**
 * A deployment from before the learner index had buckets keeps its learners in one set: every
 * process empties it into the buckets once Redis answers (idempotent; until it is empty,
 * broadcasts page it too). When Redis answers at start the move is awaited (one SRANDMEMBER when
 * there is nothing to move); otherwise it runs once Redis is back. Closing waits for a move in
 * flight, so the connection is never cut under it.
 */
async function moveLegacyLearnerIndex(app: FastifyInstance, index: LearnerIndex): Promise<void> {
  let moving: Promise<void> | null = null;
  const move = () =>
    (moving = index.moveLegacy().then(
      (moved) => {
        if (moved > 0)
          app.log.info({ moved }, 'learner index: moved the ids of the old single set into buckets');
      },
      (error: Error) =>
        app.log.warn({ err: error.message }, 'learner index: the old single set is moved at the next start'),
    ));
  app.addHook('onClose', async () => {
    app.redis.off('ready', move);
    await moving;
  });
  if (app.redis.status === 'ready') await move();
  else app.redis.once('ready', move);
}

export interface StoresPluginOptions {
  /** the ids of people; made from ID_SECRET unless given */
  personIds?: PersonIds;
}

export default fp<StoresPluginOptions>(
  async (app, options) => {
    const cluster = isCluster(redisTargetOf(app.config));
    const keyspace = new Keyspace(app.config.REDIS_PREFIX, { cluster });
    const personIds = options.personIds ?? new KeyedPersonIds(app.config.ID_SECRET);
    const stores = createStores(app.redis, keyspace, personIds, { clock: app.clock });
    app.decorate('keyspace', keyspace);
    app.decorate('personIds', personIds);
    app.decorate('stores', stores);
    app.decorate('sessions', stores.sessions);
    app.decorate('completions', stores.completions);
    app.decorate('groups', stores.groups);
    app.decorate('coordinators', stores.coordinators);
    app.decorate('quizStore', stores.quizStore);
    await moveLegacyLearnerIndex(app, stores.sessions.index);
  },
  { name: 'stores', dependencies: ['config', 'redis'] },
);
