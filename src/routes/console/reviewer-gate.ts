/**
 * A reviewer sees the Textos pages of their languages and nothing else of the console: not the
 * groups, the learners' progress or the reminders, which are coordinators' business. One gate,
 * in the sign-in hook, so a page added later is closed to reviewers unless listed here.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Viewer } from './auth.js';

const REVIEWER_PATHS = [/^\/console\/texts(\/|\?|$)/, /^\/console\/logout$/];

/** Where the console opens for this viewer. */
export function homeOf(viewer: Viewer): string {
  return viewer.role === 'reviewer' ? '/console/texts' : '/console/groups';
}

export function reviewerMayOpen(viewer: Viewer, url: string): boolean {
  return viewer.role !== 'reviewer' || REVIEWER_PATHS.some((path) => path.test(url));
}

/** A page a reviewer may not open: reading leads them to their texts, anything else is refused. */
export function reviewerElsewhere(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (request.method === 'GET' && !request.url.startsWith('/console/api/')) {
    return reply.redirect('/console/texts', 303);
  }
  return reply.code(403).send({ error: 'reviewers may only use the Textos pages' });
}
