/**
 * Verify a learner's completion code (AYNI-XXXX-XXXX): which section they finished and when.
 * Any signed-in coordinator may check any code (the learner shows it to whoever trains them);
 * the answer names no person. Lookups are rate limited per viewer, so codes cannot be guessed
 * through the page.
 */
import type { FastifyInstance } from 'fastify';
import { normalizeCode } from '../../../flows/completion-code.js';
import { ownerOf } from '../auth.js';
import { one, sendPage, sessionOf, type ConsoleDeps } from '../deps.js';
import { html, type Html } from '../ui/html.js';

export async function verifyRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  const { course, translator } = deps.content;

  app.get('/console/verify', async (request, reply) => {
    const session = sessionOf(request);
    const typed = one((request.query as { code?: unknown }).code).slice(0, 40);
    let result: Html | string = '';
    let status = 200;
    if (typed) {
      const code = normalizeCode(typed);
      const limited = await deps.auth.limit(`verify-code:${ownerOf(session.viewer)}`, 60, 60 * 60 * 1000);
      if (!limited.ok) {
        status = 429;
        reply.header('retry-after', String(limited.retryAfter));
        result = html`<p class="error" role="alert">Demasiadas consultas en una hora. Espere un rato.</p>`;
      } else if (!code) {
        status = 400;
        result = html`<p class="error" role="alert">
          Un código tiene esta forma: AYNI-XXXX-XXXX (8 letras y cifras).
        </p>`;
      } else {
        const found = await deps.completions.find(code);
        const section = found && course.sections.find((s) => s.id === found.section);
        result = found
          ? html`<p class="ok" role="status">
              <strong>${code}</strong> es válido: terminó
              <strong>${section ? translator.t('es', section.title) : found.section}</strong> el ${found.on}.
            </p>`
          : html`<p class="error" role="alert">
              <strong>${code}</strong> no es un código entregado por Ayni (o la persona borró sus datos).
            </p>`;
        if (!found) status = 404;
      }
    }
    const body = html`<h1>Verificar un código de finalización</h1>
      <p>
        Quien termina todas las lecciones de Think.COOP recibe un código como AYNI-K7M2-QX4P. Escríbalo aquí
        para comprobarlo.
      </p>
      <form method="get" action="/console/verify" class="card">
        <label for="code">Código</label
        ><input
          id="code"
          name="code"
          type="text"
          autocomplete="off"
          autocapitalize="characters"
          maxlength="40"
          required
          value="${typed}"
          placeholder="AYNI-XXXX-XXXX"
        />
        <button type="submit">Verificar</button>
      </form>
      ${result}`;
    return sendPage(reply, deps, { title: 'Verificar código', session, nav: 'verify', body }, status);
  });
}
