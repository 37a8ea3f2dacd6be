/**
 * POST /api/groups — a group for a registered coordinator, answered with its join code.
 * GET /api/groups/:id — the group, its member count, and the coordinator's number masked.
 */
import type { FastifyInstance } from 'fastify';
import type { Language } from '../../content/locale-schema.js';
import type { CoordinatorStore } from '../../groups/coordinator-store.js';
import type { GroupStore } from '../../groups/group-store.js';
import { maskPhone } from '../../privacy/phone.js';
import { cleanName } from '../../reading/names.js';
import { adminAuth } from './admin-auth.js';
import {
  ADMIN_BODY_LIMIT,
  displayName,
  e164,
  errorReplies,
  groupId,
  joinCode,
  language,
  UNPRINTABLE_NAME,
} from '../json-api/schemas.js';

export interface GroupsRouteOptions {
  adminToken: string | undefined;
  coordinators: CoordinatorStore;
  groups: GroupStore;
}

const createGroupSchema = {
  body: {
    type: 'object',
    required: ['name', 'locale', 'coordinator'],
    additionalProperties: false,
    properties: { name: displayName, locale: language, coordinator: e164 },
  },
  response: {
    201: {
      type: 'object',
      required: ['id', 'code'],
      properties: { id: groupId, code: joinCode },
    },
    ...errorReplies,
  },
};

const getGroupSchema = {
  params: {
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: groupId },
  },
  response: {
    200: {
      type: 'object',
      required: ['id', 'name', 'locale', 'code', 'coordinator', 'members'],
      properties: {
        id: groupId,
        name: { type: 'string' },
        locale: language,
        code: joinCode,
        coordinator: { type: 'string', description: 'masked, e.g. +591*****567' },
        members: { type: 'integer', minimum: 0 },
      },
    },
    ...errorReplies,
  },
};

export async function groupsRoute(app: FastifyInstance, options: GroupsRouteOptions) {
  const auth = adminAuth(options.adminToken);

  app.post<{ Body: { name: string; locale: Language; coordinator: string } }>(
    '/api/groups',
    {
      onRequest: auth,
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: createGroupSchema,
    },
    async (request, reply) => {
      const { locale, coordinator } = request.body;
      const name = cleanName(request.body.name);
      if (!name) return reply.code(400).send({ error: UNPRINTABLE_NAME });
      // 422 rather than 404: the route exists, the body names someone who does not.
      if (!(await options.coordinators.isCoordinator(coordinator))) {
        return reply.code(422).send({ error: 'coordinator is not registered: POST /api/coordinators first' });
      }
      const group = await options.groups.create({ name, locale, coordinator });
      return reply.code(201).send({ id: group.id, code: group.code });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/groups/:id',
    {
      onRequest: auth,
      schema: getGroupSchema,
    },
    async (request, reply) => {
      const group = await options.groups.get(request.params.id);
      if (!group) return reply.code(404).send({ error: 'no group has this id' });
      return {
        id: group.id,
        name: group.name,
        locale: group.locale,
        code: group.code,
        coordinator: maskPhone(group.coordinator),
        members: await options.groups.count(group.id),
      };
    },
  );
}
