/** The page shell every console page shares: head, header with navigation, main. */
import type { ConsoleSession, Viewer } from '../auth.js';
import { homeOf } from '../reviewer-gate.js';
import { html, raw, type Html } from './html.js';

export interface PageOptions {
  title: string;
  session: ConsoleSession | null;
  /** the nav entry to mark as the current page */
  nav?: 'groups' | 'funnel' | 'reminders' | 'try' | 'verify' | 'texts';
  body: Html;
  /** extra markup at the end of <body> (JSON islands for the script) */
  tail?: Html;
}

export interface Assets {
  css: string;
  js: string;
}

const NAV: [NonNullable<PageOptions['nav']>, string, string][] = [
  ['groups', '/console/groups', 'Grupos'],
  ['funnel', '/console/funnel', 'Dónde se detienen'],
  ['reminders', '/console/reminders', 'Avisos'],
  ['try', '/console/try', 'Probar el bot'],
  ['verify', '/console/verify', 'Verificar código'],
  ['texts', '/console/texts', 'Textos'],
];

/** A reviewer's console is the Textos pages; a coordinator's has no Textos; an administrator's has all. */
function navOf(viewer: Viewer): typeof NAV {
  if (viewer.role === 'reviewer') return NAV.filter(([key]) => key === 'texts');
  if (viewer.role === 'coordinator') return NAV.filter(([key]) => key !== 'texts');
  return NAV;
}

const ROLE_LABEL: Record<Viewer['role'], string> = {
  admin: '',
  coordinator: ' (coordinación)',
  reviewer: ' (revisión)',
};

export function page(assets: Assets, options: PageOptions): Html {
  const { session } = options;
  const nav = session
    ? html`<nav aria-label="Secciones">
        <ul>
          ${navOf(session.viewer).map(
            ([key, href, label]) =>
              html`<li>
                <a href="${href}" ${options.nav === key ? raw(' aria-current="page"') : ''}>${label}</a>
              </li>`,
          )}
        </ul>
      </nav>`
    : '';
  const who = session
    ? html`<form method="post" action="/console/logout">
        <input type="hidden" name="_csrf" value="${session.csrf}" /><span
          >${session.viewer.name}${ROLE_LABEL[session.viewer.role]}</span
        >
        <button class="link" type="submit">Salir</button>
      </form>`
    : '';
  return html`<!doctype html>
    <html lang="es">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${options.title} · Ayni</title>
        <link rel="stylesheet" href="${assets.css}" />
      </head>
      <body>
        <a class="skip" href="#main">Saltar al contenido</a>
        <header>
          <div class="top">
            <a href="${session ? homeOf(session.viewer) : '/console/groups'}"
              ><strong>Ayni</strong> · consola</a
            >${who}
          </div>
          ${nav}
        </header>
        <main id="main" tabindex="-1">${options.body}</main>
        ${options.tail ?? ''}
        <script src="${assets.js}" defer></script>
      </body>
    </html>`;
}

/** The hidden field every form carries (checked on every POST). */
export function csrfField(token: string): Html {
  return html`<input type="hidden" name="_csrf" value="${token}" />`;
}
