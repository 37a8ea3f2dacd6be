/**
 * The keyspace (REDIS_PREFIX), the keyed ids of people (ID_SECRET) and every store, built once on
 * the app's Redis and decorated: `app.stores` holds them all, for the plugins that wire services;
 * the stores routes and the console read directly also have their own names (`app.sessions`,
 * `app.completions`, `app.groups`, `app.coordinators`, `app.quizStore`, `app.personIds`), which
 * are the same objects.
 */
import fp from 'fastify-plugin';
import type { CoordinatorStore } from '../groups/coordinator-store.js';
import type { GroupStore } from '../groups/group-store.js';
import type { QuizStore } from '../groups/quiz/quiz-store.js';
import { KeyedPersonIds, type PersonIds } from '../privacy/person-ids.js';
import type { CompletionStore } from '../store/completion-store.js';
import { Keyspace } from '../store/keyspace.js';
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

export interface StoresPluginOptions {
  /** the ids of people; made from ID_SECRET unless given */
  personIds?: PersonIds;
}

export default fp<StoresPluginOptions>(
  async (app, options) => {
    const keyspace = new Keyspace(app.config.REDIS_PREFIX);
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
  },
  { name: 'stores', dependencies: ['config', 'redis'] },
);
