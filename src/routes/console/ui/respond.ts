/** Sending a page: the shell around a body, never cached; the not-found and error bodies. */
import type { FastifyReply } from 'fastify';
import type { ConsoleSession } from '../auth.js';
import { html, type Html } from './html.js';
import { page, type Assets, type PageOptions } from './layout.js';

export function sendPage(
  reply: FastifyReply,
  assets: Assets,
  options: PageOptions,
  status = 200,
): FastifyReply {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(page(assets, options).text);
}

export function errorBody(title: string, text: string): Html {
  return html`<h1>${title}</h1>
    <p class="error" role="alert">${text}</p>
    <p><a href="/console/groups">Volver a los grupos</a></p>`;
}

/** 404 with a page saying what was not found (or is not the viewer's: the same answer). */
export function notFound(
  reply: FastifyReply,
  assets: Assets,
  session: ConsoleSession | null,
  what: string,
): FastifyReply {
  return sendPage(
    reply,
    assets,
    { title: 'No encontrado', session, body: errorBody('No encontrado', what) },
    404,
  );
}
