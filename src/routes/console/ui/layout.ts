/** The page shell every console page shares: head, header with navigation, main. */
import type { ConsoleSession } from '../auth.js';
import { html, raw, type Html } from './html.js';

export interface PageOptions {
  title: string;
  session: ConsoleSession | null;
  /** the nav entry to mark as the current page */
  nav?: 'groups' | 'funnel' | 'reminders' | 'try' | 'verify';
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
];

export function page(assets: Assets, options: PageOptions): Html {
  const { session } = options;
  const nav = session
    ? html`<nav aria-label="Secciones">
        <ul>
          ${NAV.map(
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
          >${session.viewer.name}${session.viewer.role === 'admin' ? '' : ' (coordinación)'}</span
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
            <a href="/console/groups"><strong>Ayni</strong> · consola</a>${who}
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
