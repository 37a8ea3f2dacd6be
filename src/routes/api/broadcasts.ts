/**
 * The broadcasts admin API (`Authorization: Bearer $ADMIN_TOKEN`):
 *   POST   /api/broadcasts       create one: now, at `sendAt`, or on a `repeat` cron; 201 {id, targeted, …}
 *   GET    /api/broadcasts/:id   its state and counts
 *   DELETE /api/broadcasts/:id   cancel what has not gone yet (a repeating one stops repeating)
 * An `Idempotency-Key` header makes a retried POST answer the broadcast the first one created.
 * Its own encapsulated context with the JSON APIs' strict input (json-api/strict-input.ts).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  BroadcastError,
  type BroadcastInput,
  type BroadcastService,
} from '../../broadcasts/broadcast-service.js';
import { broadcastView, createdView } from '../../broadcasts/broadcast-view.js';
import {
  BROADCAST_BODY_LIMIT,
  createBody,
  createdReplies,
  idempotencyHeaders,
  idParams,
  statusReplies,
} from '../json-api/broadcast-schemas.js';
import { useStrictInput } from '../json-api/strict-input.js';
import { adminAuth } from './admin-auth.js';

export interface BroadcastsApiOptions {
  adminToken: string | undefined;
  broadcasts: Pick<BroadcastService, 'create' | 'status' | 'cancel'>;
}

function refuse(reply: FastifyReply, error: unknown) {
  if (error instanceof BroadcastError) return reply.code(error.status).send({ error: error.message });
  throw error;
}

export async function broadcastsApi(app: FastifyInstance, options: BroadcastsApiOptions): Promise<void> {
  useStrictInput(app);
  const auth = adminAuth(options.adminToken);

  app.post<{ Body: BroadcastInput; Headers: { 'idempotency-key'?: string } }>(
    '/api/broadcasts',
    {
      onRequest: auth,
      bodyLimit: BROADCAST_BODY_LIMIT,
      schema: {
        summary: 'Send a text to learners now, later or on a schedule',
        headers: idempotencyHeaders,
        body: createBody,
        response: createdReplies,
      },
    },
    async (request, reply) => {
      try {
        const key = request.headers['idempotency-key'];
        const result = await options.broadcasts.create(request.body, key ? { idempotencyKey: key } : {});
        if (!result.created) reply.header('idempotent-replayed', 'true');
        return reply.code(201).send(createdView(result));
      } catch (error) {
        return refuse(reply, error);
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/broadcasts/:id',
    {
      onRequest: auth,
      schema: { summary: 'A broadcast: its state and counts', params: idParams, response: statusReplies },
    },
    async (request, reply) => {
      const status = await options.broadcasts.status(request.params.id);
      if (!status) return reply.code(404).send({ error: 'no broadcast has this id' });
      return broadcastView(status);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/broadcasts/:id',
    {
      onRequest: auth,
      schema: {
        summary: 'Cancel what has not gone yet; a repeating broadcast stops repeating',
        params: idParams,
        response: statusReplies,
      },
    },
    async (request, reply) => {
      const status = await options.broadcasts.cancel(request.params.id);
      if (!status) return reply.code(404).send({ error: 'no broadcast has this id' });
      return broadcastView(status);
    },
  );
}
