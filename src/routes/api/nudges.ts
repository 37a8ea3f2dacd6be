/**
 * Nudges in the admin API:
 * PUT /api/groups/:id/nudges {enabled} — a coordinator's group gets nudges, or none;
 * GET /api/nudges[?group=<id>&days=<n>] — nudges sent, skipped, and learners who came back
 * within 24 hours of one, over the last `days` days (default 30), overall or for one group.
 */
import type { FastifyInstance } from 'fastify';
import type { GroupStore } from '../../groups/group-store.js';
import type { NudgeStats } from '../../store/nudge-stats.js';
import { NUDGE_STATS_DAYS } from '../../store/nudge-stats.js';
import { ADMIN_BODY_LIMIT, errorReplies, groupId } from '../json-api/schemas.js';
import { useStrictInput } from '../json-api/strict-input.js';
import { adminAuth } from './admin-auth.js';

export interface NudgesApiOptions {
  adminToken: string | undefined;
  groups: Pick<GroupStore, 'setNudges' | 'get'>;
  stats: Pick<NudgeStats, 'figures'>;
  clock: () => number;
}

const figures = {
  type: 'object',
  required: ['sent', 'skipped', 'back', 'days'],
  properties: {
    sent: { type: 'integer' },
    skipped: { type: 'integer' },
    back: { type: 'integer', description: 'learners who wrote again within 24 hours of a nudge' },
    days: { type: 'integer' },
    group: { type: 'string' },
  },
};

const putSchema = {
  params: { type: 'object', required: ['id'], additionalProperties: false, properties: { id: groupId } },
  body: {
    type: 'object',
    required: ['enabled'],
    additionalProperties: false,
    properties: { enabled: { type: 'boolean' } },
  },
  response: {
    200: {
      type: 'object',
      required: ['id', 'nudges'],
      properties: { id: groupId, nudges: { type: 'string', enum: ['on', 'off'] } },
    },
    ...errorReplies,
  },
};

const getSchema = {
  querystring: {
    type: 'object',
    additionalProperties: false,
    properties: { group: groupId, days: { type: 'integer', minimum: 1, maximum: NUDGE_STATS_DAYS } },
  },
  response: { 200: figures, ...errorReplies },
};

export async function nudgesApi(app: FastifyInstance, options: NudgesApiOptions): Promise<void> {
  useStrictInput(app);
  const auth = adminAuth(options.adminToken);

  app.put<{ Params: { id: string }; Body: { enabled: boolean } }>(
    '/api/groups/:id/nudges',
    { onRequest: auth, bodyLimit: ADMIN_BODY_LIMIT, schema: putSchema },
    async (request, reply) => {
      const { id } = request.params;
      if (!(await options.groups.setNudges(id, request.body.enabled))) {
        return reply.code(404).send({ error: 'no group has this id' });
      }
      return { id, nudges: request.body.enabled ? 'on' : 'off' };
    },
  );

  app.get<{ Querystring: { group?: string; days?: number } }>(
    '/api/nudges',
    { onRequest: auth, schema: getSchema },
    async (request, reply) => {
      const { group, days = 30 } = request.query;
      if (group && !(await options.groups.get(group))) {
        return reply.code(404).send({ error: 'no group has this id' });
      }
      const counted = await options.stats.figures(options.clock(), days, group ?? null);
      return { ...counted, days, ...(group ? { group } : {}) };
    },
  );
}
