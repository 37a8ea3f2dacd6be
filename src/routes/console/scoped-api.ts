/**
 * The console's JSON API: the admin API's own routes, registered again under /console with
 * coordinator scoping instead of the bearer token. The parent context has already found the
 * session (cookie) and checked the CSRF header of writes; here each request is checked against
 * what the viewer may touch, and only then given a bearer token that exists only inside this
 * process, so the admin routes run unchanged:
 *   GET    /console/api/groups/:id/progress(.csv)   their own groups only (progress-route.ts)
 *   POST   /console/api/broadcasts                  to their own groups only (broadcasts-route.ts)
 *   GET    /console/api/broadcasts/:id              the broadcasts they created
 *   DELETE /console/api/broadcasts/:id              same
 * An administrator's session may do everything. Whatever a coordinator may not see answers 404,
 * as if it did not exist, so ids cannot be probed.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { BroadcastInput } from '../../broadcasts/broadcast-service.js';
import { broadcastsApi } from '../api/broadcasts.js';
import { progressApi } from '../api/progress.js';
import { ownerOf } from './auth.js';
import { groupFor, sessionOf, type ConsoleDeps } from './deps.js';

export const API_PREFIX = '/console';

const notYours = (reply: FastifyReply, what: string) =>
  reply.code(404).send({ error: `no ${what} has this id` });

export function describeTarget(target: BroadcastInput['target'], groupNames: Map<string, string>): string {
  if ('groups' in target) return target.groups.map((id) => groupNames.get(id) ?? id).join(', ');
  if ('all' in target) return 'todas las personas';
  if ('locale' in target)
    return `quienes usan ${{ es: 'español', ay: 'aymara', qu: 'quechua' }[target.locale]}`;
  if ('notFinished' in target) return `quienes no terminaron ${target.notFinished}`;
  return `quienes no escriben hace ${target.inactiveDays} días`;
}

export async function scopedApi(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  const internalToken = randomBytes(32).toString('hex');
  const route = (request: FastifyRequest) => request.routeOptions.url ?? '';

  app.addHook('onRequest', async (request, reply) => {
    const { viewer } = sessionOf(request);
    const { id } = (request.params ?? {}) as { id?: string };
    const url = route(request);
    if (url.startsWith(`${API_PREFIX}/api/groups/:id`)) {
      if (!id || !(await groupFor(deps, viewer, id))) return notYours(reply, 'group');
    } else if (url === `${API_PREFIX}/api/broadcasts/:id`) {
      if (!id || !(await deps.owners.allows(viewer, id))) return notYours(reply, 'broadcast');
    }
    // Idempotency keys are per owner: one user's key can never replay another's broadcast.
    const key = request.headers['idempotency-key'];
    if (typeof key === 'string' && key) {
      request.headers['idempotency-key'] = `console:${ownerOf(viewer)}:${key}`.slice(0, 255);
    }
    // Whatever the client sent, the admin route sees only this process's own token.
    request.headers.authorization = `Bearer ${internalToken}`;
  });

  // A coordinator's broadcast goes to their own groups and nowhere else.
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || route(request) !== `${API_PREFIX}/api/broadcasts`) return;
    const { viewer } = sessionOf(request);
    if (viewer.role === 'admin') return;
    const { target } = request.body as BroadcastInput;
    if (!('groups' in target)) {
      return reply.code(403).send({ error: 'a coordinator sends only to their own groups: target.groups' });
    }
    for (const id of target.groups) {
      if (!(await groupFor(deps, viewer, id))) {
        return reply.code(422).send({ error: `no group of yours has the id ${id}` });
      }
    }
  });

  // Remember who created each broadcast, before the answer leaves.
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.method !== 'POST' || route(request) !== `${API_PREFIX}/api/broadcasts`) return payload;
    if (reply.statusCode !== 201 || typeof payload !== 'string') return payload;
    const { id } = JSON.parse(payload) as { id: string };
    const body = request.body as BroadcastInput;
    const names = new Map<string, string>();
    if ('groups' in body.target) {
      for (const groupId of body.target.groups) {
        const group = await deps.groups.get(groupId);
        if (group) names.set(groupId, group.name);
      }
    }
    const existing = await deps.owners.get(id);
    if (!existing) {
      await deps.owners.add({
        id,
        owner: ownerOf(sessionOf(request).viewer),
        createdAt: Date.now(),
        summary: (body.text.es ?? '').trim().slice(0, 120),
        target: describeTarget(body.target, names),
      });
    }
    return payload;
  });

  await app.register(progressApi, {
    prefix: API_PREFIX,
    adminToken: internalToken,
    groups: deps.groups,
    sessions: deps.sessions,
    quizzes: app.quizStore,
    course: deps.content.course,
    translator: deps.content.translator,
  });
  if (deps.broadcasts) {
    await app.register(broadcastsApi, {
      prefix: API_PREFIX,
      adminToken: internalToken,
      broadcasts: deps.broadcasts,
    });
  }
}
