/**
 * The console's JSON API: the admin API's progress and broadcasts answers, for the signed-in
 * viewer's scope instead of the bearer token. The sign-in hook has already found the session and
 * checked the CSRF header of writes. Whatever a coordinator may not see answers 404, as if it
 * did not exist, so ids cannot be probed.
 *   GET    /console/api/groups/:id/progress(.csv)   their own groups only
 *   POST   /console/api/broadcasts                  to their own groups only
 *   GET    /console/api/broadcasts/:id              the broadcasts they created
 *   DELETE /console/api/broadcasts/:id              same
 * Ids are checked by the scope, not by a params schema, so a malformed id is a 404 like any other.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BroadcastInput } from '../../broadcasts/broadcast-service.js';
import { createdView, type BroadcastView } from '../../broadcasts/broadcast-view.js';
import {
  BROADCAST_BODY_LIMIT,
  createBody,
  createdReplies,
  statusReplies,
} from '../json-api/broadcast-schemas.js';
import { progressCsvName, progressCsvReplies, progressReplies } from '../json-api/progress-schemas.js';
import { useStrictInput } from '../json-api/strict-input.js';
import { scopeOf, type ConsoleContext } from './context.js';
import type { ScopedBroadcasts } from './scope-broadcasts.js';

type IdRequest = { Params: { id: string } };

const notYours = (reply: FastifyReply, what: string) =>
  reply.code(404).send({ error: `no ${what} has this id` });

/** No maxLength, unlike the admin API's: the scope prefixes the key with its owner and cuts it to 255. */
const idempotencyHeaders = {
  type: 'object',
  properties: { 'idempotency-key': { type: 'string', minLength: 1 } },
} as const;

export async function consoleApi(app: FastifyInstance, context: ConsoleContext): Promise<void> {
  useStrictInput(app);
  progressApi(app, context);
  // Without the broadcasts plugin there are no broadcasts routes, as in the admin API.
  if (context.services.broadcasts) broadcastsApi(app, context);
}

function progressApi(app: FastifyInstance, context: ConsoleContext): void {
  app.get<IdRequest>(
    '/console/api/groups/:id/progress',
    { schema: { response: progressReplies } },
    async (request, reply) => {
      const found = await scopeOf(context, request).progress.report(request.params.id);
      return found ? found.report : notYours(reply, 'group');
    },
  );

  app.get<IdRequest>(
    '/console/api/groups/:id/progress.csv',
    { schema: { produces: ['text/csv'], response: progressCsvReplies } },
    async (request, reply) => {
      const found = await scopeOf(context, request).progress.csv(request.params.id);
      if (!found) return notYours(reply, 'group');
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', progressCsvName(found.group.id))
        .send(Readable.from(found.lines));
    },
  );
}

function broadcastsApi(app: FastifyInstance, context: ConsoleContext): void {
  const broadcastsOf = (request: FastifyRequest): ScopedBroadcasts => {
    const broadcasts = scopeOf(context, request).broadcasts;
    if (!broadcasts) throw new Error('the broadcasts service went away');
    return broadcasts;
  };
  const answer = (reply: FastifyReply, view: BroadcastView | null) => view ?? notYours(reply, 'broadcast');

  app.post<{ Body: BroadcastInput; Headers: { 'idempotency-key'?: string } }>(
    '/console/api/broadcasts',
    {
      bodyLimit: BROADCAST_BODY_LIMIT,
      schema: { headers: idempotencyHeaders, body: createBody, response: createdReplies },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const created = await broadcastsOf(request).create(request.body, key);
      if (!created.ok) return reply.code(created.status).send({ error: created.error });
      if (!created.result.created) reply.header('idempotent-replayed', 'true');
      return reply.code(201).send(createdView(created.result));
    },
  );

  app.get<IdRequest>(
    '/console/api/broadcasts/:id',
    { schema: { response: statusReplies } },
    async (request, reply) => answer(reply, await broadcastsOf(request).view(request.params.id)),
  );

  app.delete<IdRequest>(
    '/console/api/broadcasts/:id',
    { schema: { response: statusReplies } },
    async (request, reply) => answer(reply, await broadcastsOf(request).cancel(request.params.id)),
  );
}
