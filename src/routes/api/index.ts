/**
 * The admin API (/api/…), every route of it, each needing `Authorization: Bearer $ADMIN_TOKEN`:
 * completion codes, coordinators, reviewers, groups, lessons and quizzes, broadcasts, group progress, nudges.
 * Each route plugin takes its stores as options (so a test builds one on a bare Fastify); this
 * is where the app's decorations are handed to them.
 */
import type { FastifyInstance } from 'fastify';
import { broadcastsApi } from './broadcasts.js';
import { completionsRoute } from './completions.js';
import { adminGroupsApi } from './groups-api.js';
import { nudgesApi } from './nudges.js';
import { progressApi } from './progress.js';
import { reviewersRoute } from './reviewers.js';

export async function adminApi(app: FastifyInstance): Promise<void> {
  const adminToken = app.config.ADMIN_TOKEN;
  const { course, translator } = app.content;
  await app.register(completionsRoute, { adminToken });
  await app.register(adminGroupsApi, {
    adminToken,
    coordinators: app.coordinators,
    groups: app.groups,
    course,
    translator,
    quizzes: app.quizzes,
  });
  await app.register(reviewersRoute, { adminToken, reviewers: app.stores.reviewers });
  await app.register(broadcastsApi, { adminToken, broadcasts: app.broadcasts });
  await app.register(progressApi, {
    adminToken,
    groups: app.groups,
    sessions: app.sessions,
    quizzes: app.quizStore,
    course,
    translator,
  });
  await app.register(nudgesApi, {
    adminToken,
    groups: app.groups,
    stats: app.stores.nudgeStats,
    clock: app.clock,
  });
}
