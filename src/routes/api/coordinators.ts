/** POST /api/coordinators — an administrator registers (or renames) a coordinator by phone. */
import type { FastifyInstance } from 'fastify';
import type { CoordinatorStore } from '../../groups/coordinator-store.js';
import { adminAuth } from './admin-auth.js';
import { cleanName } from '../../reading/names.js';
import { ADMIN_BODY_LIMIT, displayName, e164, errorReplies, UNPRINTABLE_NAME } from '../json-api/schemas.js';

export interface CoordinatorsRouteOptions {
  adminToken: string | undefined;
  coordinators: CoordinatorStore;
}

export async function coordinatorsRoute(app: FastifyInstance, options: CoordinatorsRouteOptions) {
  app.post<{ Body: { phone: string; name: string } }>(
    '/api/coordinators',
    {
      onRequest: adminAuth(options.adminToken),
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        body: {
          type: 'object',
          required: ['phone', 'name'],
          additionalProperties: false,
          properties: { phone: e164, name: displayName },
        },
        response: {
          201: {
            type: 'object',
            required: ['phone', 'name'],
            properties: { phone: { type: 'string' }, name: { type: 'string' } },
          },
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const name = cleanName(request.body.name);
      if (!name) return reply.code(400).send({ error: UNPRINTABLE_NAME });
      // Registering again is how a name is corrected: same answer either way.
      const coordinator = await options.coordinators.register(request.body.phone, name);
      return reply.code(201).send({ phone: coordinator.phone, name: coordinator.name });
    },
  );
}
