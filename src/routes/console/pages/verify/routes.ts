/**
 * Verify a learner's completion code (AYNI-XXXX-XXXX): which section they finished and when.
 * Any signed-in coordinator may check any code (the learner shows it to whoever trains them);
 * the answer names no person. Lookups are rate limited per viewer, so codes cannot be guessed
 * through the page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { normalizeCode } from '../../../../flows/completion-code.js';
import { scopeOf, sessionOf, type ConsoleContext } from '../../context.js';
import { one } from '../../ui/form.js';
import type { Html } from '../../ui/html.js';
import { sendPage } from '../../ui/respond.js';
import { notACode, tooManyLookups, unknownCode, validCode, verifyBody } from './view.js';

export async function verifyRoutes(app: FastifyInstance, context: ConsoleContext) {
  const { course, translator } = context.content;

  /** What the page says about `typed`, and its status. */
  const lookUp = async (
    request: FastifyRequest,
    reply: FastifyReply,
    typed: string,
  ): Promise<{ result: Html; status: number }> => {
    const code = normalizeCode(typed);
    const limited = await context.limits.lookupsByViewer(request);
    if (!limited.ok) {
      reply.header('retry-after', String(limited.retryAfter));
      return { result: tooManyLookups(), status: 429 };
    }
    if (!code) return { result: notACode, status: 400 };
    const found = await scopeOf(context, request).completions.find(code);
    if (!found) return { result: unknownCode(code), status: 404 };
    const section = course.sections.find((s) => s.id === found.section);
    const title = section ? translator.t('es', section.title) : found.section;
    return { result: validCode(code, title, found.on), status: 200 };
  };

  app.get('/console/verify', async (request, reply) => {
    const session = sessionOf(request);
    const typed = one((request.query as { code?: unknown }).code).slice(0, 40);
    const { result, status } = typed ? await lookUp(request, reply, typed) : { result: '', status: 200 };
    const body = verifyBody(typed, result);
    return sendPage(
      reply,
      context.assets,
      { title: 'Verificar código', session, nav: 'verify', body },
      status,
    );
  });
}
