/**
 * Reminders (broadcasts): compose one, send it now, at a time or every week until a date, then
 * watch its counts and cancel what has not gone. Everything goes through the viewer's scope, so
 * the console can never do more than the viewer may, and a reminder's body is checked against
 * the same schema as the JSON API's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createBody } from '../../../json-api/broadcast-schemas.js';
import { bodyCheck } from '../../../json-api/strict-input.js';
import { scopeOf, sessionOf, type ConsoleContext } from '../../context.js';
import type { Scope } from '../../scope.js';
import type { ScopedBroadcasts } from '../../scope-broadcasts.js';
import { spellingTables } from '../../sms-count.js';
import { field, one } from '../../ui/form.js';
import { html, jsonScript, type Html } from '../../ui/html.js';
import { NO_REASONS, REASONS, STATES } from '../../ui/labels.js';
import { notFound, sendPage } from '../../ui/respond.js';
import { composeForm } from './compose-view.js';
import { detailBody } from './detail-view.js';
import { draftOf, emptyDraft, inputOf, type Draft } from './draft.js';
import { remindersBody } from './list-view.js';

const NOT_YOURS = 'No hay un aviso suyo con ese enlace.';
const text = { type: 'string', maxLength: 1600 } as const;
const reminderForm = { type: 'object', properties: { text_es: text, text_ay: text, text_qu: text } } as const;
const checkInput = bodyCheck(createBody);

/** What the reminder pages share, made once: the spelling tables and labels for the page's script. */
interface Kit {
  context: ConsoleContext;
  lessons: { id: string; title: string }[];
  /** the JSON islands the script reads */
  spellingTables: Html;
  labels: Html;
}

type Found = { scope: Scope; broadcasts: ScopedBroadcasts };

export async function reminderRoutes(app: FastifyInstance, context: ConsoleContext) {
  const { course, translator, spelling } = context.content;
  const kit: Kit = {
    context,
    lessons: course.lessons.map((l) => ({ id: l.id, title: translator.t('es', `${l.id}:${l.title}`) })),
    spellingTables: jsonScript('sms-spelling', spellingTables(spelling)),
    labels: jsonScript('console-labels', { states: STATES, reasons: REASONS, none: NO_REASONS }),
  };
  app.get('/console/reminders', (request, reply) => {
    const group = one((request.query as { group?: unknown }).group);
    const draft = emptyDraft(group || undefined, Date.now(), context.tz);
    return withBroadcasts(kit, request, reply, (found) => composePage(kit, request, reply, found, draft));
  });
  app.post('/console/reminders', { schema: { body: reminderForm } }, (request, reply) =>
    withBroadcasts(kit, request, reply, (found) => send(kit, request, reply, found)),
  );
  app.get('/console/reminders/:id', (request, reply) =>
    withBroadcasts(kit, request, reply, (found) => detailPage(kit, request, reply, found)),
  );
  app.post('/console/reminders/:id/cancel', (request, reply) =>
    withBroadcasts(kit, request, reply, (found) => cancel(kit, request, reply, found)),
  );
}

/** Runs `then` with the viewer's broadcasts, or answers 503 on a server without broadcasts. */
function withBroadcasts(
  { context }: Kit,
  request: FastifyRequest,
  reply: FastifyReply,
  then: (found: Found) => Promise<FastifyReply>,
): Promise<FastifyReply> | FastifyReply {
  const scope = scopeOf(context, request);
  if (scope.broadcasts) return then({ scope, broadcasts: scope.broadcasts });
  const body = html`<h1>Avisos</h1>
    <p class="note">Los avisos no están disponibles en este servidor.</p>`;
  const session = request.consoleSession;
  return sendPage(reply, context.assets, { title: 'Avisos', session, nav: 'reminders', body }, 503);
}

async function composePage(
  kit: Kit,
  request: FastifyRequest,
  reply: FastifyReply,
  { scope, broadcasts }: Found,
  draft: Draft,
  extra: { error?: string; preview?: boolean; status?: number } = {},
) {
  const { context } = kit;
  const session = sessionOf(request);
  const groups = await scope.groups.list();
  const form = composeForm({
    session,
    draft,
    groups,
    lessons: kit.lessons,
    spelling: context.content.spelling,
  });
  const body = remindersBody(form, await broadcasts.list(20), context.tz, extra);
  const tail = html`${kit.spellingTables}${kit.labels}`;
  const options = { title: 'Avisos', session, nav: 'reminders' as const, body, tail };
  return sendPage(reply, context.assets, options, extra.status ?? 200);
}

/** The form sent: counted again (preview), refused with what to fix, or created. */
async function send(kit: Kit, request: FastifyRequest, reply: FastifyReply, found: Found) {
  const draft = draftOf(request.body as Record<string, unknown>);
  if (field(request.body, 'action') === 'preview')
    return composePage(kit, request, reply, found, draft, { preview: true });
  const input = inputOf(draft, found.scope.admin, kit.context.tz, Date.now());
  if (typeof input === 'string')
    return composePage(kit, request, reply, found, draft, { error: input, status: 400 });
  const invalid = checkInput(input);
  const idem = field(request.body, 'idem');
  const created = invalid
    ? ({ ok: false, status: 400, error: invalid } as const)
    : await found.broadcasts.create(input, /^[0-9a-f]{24}$/.test(idem) ? `form:${idem}` : undefined);
  if (!created.ok) {
    const error = `No se pudo crear el aviso: ${created.error}`;
    return composePage(kit, request, reply, found, draft, { error, status: created.status });
  }
  return reply.redirect(`/console/reminders/${created.result.broadcast.id}?ok=created`, 303);
}

async function detailPage(
  { context, labels }: Kit,
  request: FastifyRequest,
  reply: FastifyReply,
  found: Found,
) {
  const session = sessionOf(request);
  const detail = await found.broadcasts.detail((request.params as { id: string }).id);
  if (!detail) return notFound(reply, context.assets, session, NOT_YOURS);
  const { ok } = request.query as { ok?: string };
  const body = detailBody(session, detail, context.tz, context.content.spelling, ok);
  return sendPage(reply, context.assets, { title: 'Aviso', session, nav: 'reminders', body, tail: labels });
}

async function cancel({ context }: Kit, request: FastifyRequest, reply: FastifyReply, found: Found) {
  const { id } = request.params as { id: string };
  const cancelled = await found.broadcasts.cancel(id);
  if (!cancelled) return notFound(reply, context.assets, request.consoleSession, NOT_YOURS);
  return reply.redirect(`/console/reminders/${id}?ok=cancelled`, 303);
}
