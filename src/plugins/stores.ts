/**
 * The keyspace (REDIS_PREFIX) and every store, built once on the app's Redis and decorated:
 * `app.stores` holds them all, for the plugins that wire services; the stores routes and the
 * console read directly also have their own names (`app.sessions`, `app.completions`,
 * `app.groups`, `app.coordinators`, `app.quizStore`), which are the same objects.
 */
import fp from 'fastify-plugin';
import type { CoordinatorStore } from '../groups/coordinator-store.js';
import type { GroupStore } from '../groups/group-store.js';
import type { QuizStore } from '../groups/quiz/quiz-store.js';
import type { CompletionStore } from '../store/completion-store.js';
import { Keyspace } from '../store/keyspace.js';
import type { SessionStore } from '../store/session-store.js';
import { createStores, type Stores } from './create-stores.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** every Redis key name, under REDIS_PREFIX */
    keyspace: Keyspace;
    stores: Stores;
    sessions: SessionStore;
    completions: CompletionStore;
    groups: GroupStore;
    coordinators: CoordinatorStore;
    quizStore: QuizStore;
  }
}

export default fp(
  async (app) => {
    const keyspace = new Keyspace(app.config.REDIS_PREFIX);
    const stores = createStores(app.redis, keyspace, { clock: app.clock });
    app.decorate('keyspace', keyspace);
    app.decorate('stores', stores);
    app.decorate('sessions', stores.sessions);
    app.decorate('completions', stores.completions);
    app.decorate('groups', stores.groups);
    app.decorate('coordinators', stores.coordinators);
    app.decorate('quizStore', stores.quizStore);
  },
  { name: 'stores', dependencies: ['config', 'redis'] },
);
