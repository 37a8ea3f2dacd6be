/** What every console route shares: stores, the auth store, and helpers for scoping and replies. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { BroadcastService } from '../../broadcasts/broadcast-service.js';
import type { ContentRuntime } from '../../plugins/content-runtime.js';
import type { ConversationEngine } from '../../conversation/engine.js';
import type { CoordinatorStore } from '../../groups/coordinator-store.js';
import { GROUP_ID_PATTERN, type Group, type GroupStore } from '../../groups/group-store.js';
import type { OutboundSender } from '../../messaging/outbound.js';
import type { CompletionStore } from '../../store/completion-store.js';
import type { Keys } from '../../store/keys.js';
import type { SessionStore } from '../../store/session-store.js';
import type { ConsoleAuth, ConsoleSession, Viewer } from './auth.js';
import type { BroadcastOwners } from './broadcast-owners.js';
import { html, type Html } from './ui/html.js';
import { page, type Assets, type PageOptions } from './ui/layout.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the console session, set by the console's auth hook */
    consoleSession: ConsoleSession | null;
  }
}

export interface ConsoleDeps {
  auth: ConsoleAuth;
  owners: BroadcastOwners;
  assets: Assets;
  redis: Redis;
  /** REDIS_PREFIX (not `prefix`: Fastify would read that as a route prefix) */
  keyPrefix: string;
  tz: string;
  adminToken: string | undefined;
  /** Twilio is configured well enough to text a login code */
  canText: boolean;
  groups: GroupStore;
  coordinators: CoordinatorStore;
  sessions: SessionStore;
  completions: CompletionStore;
  engine: ConversationEngine;
  content: ContentRuntime;
  keys: Keys;
  outbound: OutboundSender;
  /** null when the broadcasts plugin is not registered */
  broadcasts: BroadcastService | null;
}

const groupIdRegex = new RegExp(GROUP_ID_PATTERN);

/** The group if this viewer may see it: their own, or any for an administrator. */
export async function groupFor(deps: ConsoleDeps, viewer: Viewer, id: string): Promise<Group | null> {
  if (!groupIdRegex.test(id)) return null;
  const group = await deps.groups.get(id);
  if (!group) return null;
  return viewer.role === 'admin' || group.coordinator === viewer.phone ? group : null;
}

/** The groups a viewer sees: their own, or every coordinator's for an administrator. */
export async function visibleGroups(deps: ConsoleDeps, viewer: Viewer): Promise<Group[]> {
  if (viewer.role === 'coordinator') return deps.groups.listByCoordinator(viewer.phone);
  const coordinators = await deps.coordinators.list();
  const lists = await Promise.all(coordinators.map((c) => deps.groups.listByCoordinator(c.phone)));
  return lists.flat().sort((a, b) => a.createdAt - b.createdAt);
}

export function sessionOf(request: FastifyRequest): ConsoleSession {
  const session = request.consoleSession;
  if (!session) throw new Error('console route reached without a session');
  return session;
}

export function sendPage(
  reply: FastifyReply,
  deps: ConsoleDeps,
  options: PageOptions,
  status = 200,
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page(deps.assets, options).text);
}

export function notFound(
  reply: FastifyReply,
  deps: ConsoleDeps,
  request: FastifyRequest,
  what: string,
): FastifyReply {
  return sendPage(
    reply,
    deps,
    { title: 'No encontrado', session: request.consoleSession, body: htmlError('No encontrado', what) },
    404,
  );
}

export function htmlError(title: string, text: string): Html {
  return html`<h1>${title}</h1>
    <p class="error" role="alert">${text}</p>
    <p><a href="/console/groups">Volver a los grupos</a></p>`;
}

/**
 * Calls the console's own JSON API (/console/api/…) for a page, as the same signed-in viewer: the
 * page sees exactly what the API lets this viewer see, through the same scoping.
 */
export async function callApi<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  method: 'GET' | 'POST' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: T; body: string }> {
  const session = sessionOf(request);
  const response = await app.inject({
    method,
    url,
    headers: {
      cookie: request.headers.cookie ?? '',
      'x-csrf-token': session.csrf,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  let json: T;
  try {
    json = JSON.parse(response.body) as T;
  } catch {
    json = {} as T;
  }
  return { status: response.statusCode, json, body: response.body };
}

/** A form field that may come once or several times (checkboxes), as an array. */
export function many(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}

export function one(value: unknown): string {
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}
