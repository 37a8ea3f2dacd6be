/**
 * Groups: the list (a coordinator's own, or all for an administrator), creating one, a group's
 * page with its join code in large type and its members with masked numbers, and removing a
 * member. An administrator can also register a coordinator here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { LANGUAGES, type Language } from '../../../../content/locale-schema.js';
import { E164_PATTERN } from '../../../../groups/coordinator-store.js';
import { cleanName } from '../../../../reading/names.js';
import { scopeOf, sessionOf, type ConsoleContext } from '../../context.js';
import { field, normalizePhone } from '../../ui/form.js';
import { notFound, sendPage } from '../../ui/respond.js';
import { groupBody } from './group-view.js';
import { groupsBody } from './list-view.js';

const ERRORS: Record<string, string> = {
  name: 'El grupo necesita un nombre.',
  locale: 'Elija el idioma del grupo.',
  coordinator: 'Elija un coordinador registrado.',
  phone: 'Escriba un número válido (+591…) y un nombre.',
};

const FLASH: Record<string, string> = {
  created: 'Grupo creado. Comparta el código con las personas del grupo.',
  removed: 'Se quitó a la persona del grupo.',
  nudges: 'Listo: se cambiaron los recordatorios automáticos del grupo.',
  coordinator: 'Coordinador registrado. Ya puede entrar a la consola con su número.',
};

const NOT_YOURS = 'No hay un grupo suyo con ese enlace.';

const textField = { type: 'string', maxLength: 200 } as const;
const formOf = (fields: string[]) => ({
  body: { type: 'object', properties: Object.fromEntries(fields.map((f) => [f, textField])) },
});

export async function groupRoutes(app: FastifyInstance, context: ConsoleContext) {
  app.get('/console/groups', (request, reply) => listPage(context, request, reply));
  app.post('/console/groups', { schema: formOf(['name', 'locale', 'coordinator']) }, (request, reply) =>
    createGroup(context, request, reply),
  );
  app.post('/console/coordinators', { schema: formOf(['phone', 'name']) }, (request, reply) =>
    registerCoordinator(context, request, reply),
  );
  app.get('/console/groups/:id', (request, reply) => groupPage(context, request, reply));
  app.post('/console/groups/:id/members/remove', { schema: formOf(['member']) }, (request, reply) =>
    removeMember(context, request, reply),
  );
  app.post('/console/groups/:id/nudges', { schema: formOf(['enabled']) }, (request, reply) =>
    switchNudges(context, request, reply),
  );
}

/** A coordinator (of this group) or an administrator turns the group's nudges on or off. */
async function switchNudges(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  const group = await scopeOf(context, request).groups.get((request.params as { id: string }).id);
  if (!group) return notFound(reply, context.assets, request.consoleSession, NOT_YOURS);
  await context.services.groups.setNudges(group.id, field(request.body, 'enabled') === 'on');
  return reply.redirect(`/console/groups/${group.id}?ok=nudges`, 303);
}

async function listPage(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  const session = sessionOf(request);
  const scope = scopeOf(context, request);
  const query = request.query as { ok?: string; error?: string };
  const groups = await scope.groups.list();
  const counts = await Promise.all(groups.map((g) => scope.groups.count(g)));
  const coordinators = await scope.coordinators.list();
  const ok = query.ok ? FLASH[query.ok] : undefined;
  const error = query.error ? ERRORS[query.error] : undefined;
  const body = groupsBody({ session, groups, counts, coordinators, ok, error });
  return sendPage(reply, context.assets, { title: 'Grupos', session, nav: 'groups', body });
}

async function createGroup(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  const name = cleanName(field(request.body, 'name'));
  const locale = field(request.body, 'locale') as Language;
  const back = (error: keyof typeof ERRORS) => reply.redirect(`/console/groups?error=${error}#new`, 303);
  if (!name) return back('name');
  if (!LANGUAGES.includes(locale)) return back('locale');
  const coordinator = field(request.body, 'coordinator');
  const group = await scopeOf(context, request).groups.create({ name, locale, coordinator });
  if (!group) return back('coordinator');
  return reply.redirect(`/console/groups/${group.id}?ok=created`, 303);
}

async function registerCoordinator(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(context, request);
  if (!scope.admin) {
    const what = 'Solo la administración registra coordinadores.';
    return notFound(reply, context.assets, request.consoleSession, what);
  }
  const phone = normalizePhone(field(request.body, 'phone'));
  const name = cleanName(field(request.body, 'name'));
  if (!phone || !new RegExp(E164_PATTERN).test(phone) || !name) {
    return reply.redirect('/console/groups?error=phone#register', 303);
  }
  await scope.coordinators.register(phone, name);
  return reply.redirect('/console/groups?ok=coordinator', 303);
}

async function groupPage(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  const session = sessionOf(request);
  const scope = scopeOf(context, request);
  const group = await scope.groups.get((request.params as { id: string }).id);
  if (!group) return notFound(reply, context.assets, session, NOT_YOURS);
  const { ok } = request.query as { ok?: string };
  const members = await scope.groups.members(group);
  const body = groupBody(session, group, members, context.tz, ok ? FLASH[ok] : undefined);
  return sendPage(reply, context.assets, { title: group.name, session, nav: 'groups', body });
}

async function removeMember(context: ConsoleContext, request: FastifyRequest, reply: FastifyReply) {
  const scope = scopeOf(context, request);
  const group = await scope.groups.get((request.params as { id: string }).id);
  if (!group) return notFound(reply, context.assets, request.consoleSession, NOT_YOURS);
  const removed = await scope.groups.removeMember(group, field(request.body, 'member'));
  return reply.redirect(`/console/groups/${group.id}${removed ? '?ok=removed' : ''}`, 303);
}
