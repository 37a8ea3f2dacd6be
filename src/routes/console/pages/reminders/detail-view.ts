/** A reminder's page: its state, counts and reasons (kept live by the page's script), its schedule and its texts. */
import type { BroadcastView } from '../../../../broadcasts/broadcast-view.js';
import { LANGUAGES } from '../../../../content/locale-schema.js';
import type { SpellingPolicy } from '../../../../i18n/sms-spelling.js';
import type { ConsoleSession } from '../../auth.js';
import type { BroadcastDetail } from '../../scope-broadcasts.js';
import { countSms, describeCount } from '../../sms-count.js';
import { html, type Html } from '../../ui/html.js';
import { LANGUAGE_NAMES, NO_REASONS, REASONS, STATES } from '../../ui/labels.js';
import { csrfField } from '../../ui/layout.js';
import { showDate, showTime, WEEKDAYS } from '../../ui/time.js';

const COUNTS: [keyof BroadcastView['counts'], string][] = [
  ['targeted', 'Destinatarios'],
  ['sent', 'Enviados'],
  ['delivered', 'Entregados'],
  ['failed', 'Fallidos'],
  ['skipped', 'Omitidos'],
  ['queued', 'En cola'],
];

const FLASH: Record<string, string> = {
  created: 'Aviso creado. Las cifras se actualizan solas.',
  cancelled: 'Aviso cancelado: lo que no salió ya no sale.',
};

/** "cada lunes a las 10:00" for the crons this page writes; the cron itself otherwise. */
export function describeCron(cron: string): string {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* ([0-6])$/.exec(cron);
  if (!match) return `cron ${cron}`;
  const [, minute, hour, day] = match;
  return `cada ${WEEKDAYS[Number(day)]} a las ${hour!.padStart(2, '0')}:${minute!.padStart(2, '0')}`;
}

export function detailBody(
  session: ConsoleSession,
  detail: BroadcastDetail,
  tz: string,
  spelling: SpellingPolicy,
  ok: string | undefined,
): Html {
  const { view: v } = detail;
  const flash = ok === 'created' || ok === 'cancelled' ? FLASH[ok] : undefined;
  return html`<p><a href="/console/reminders">← Avisos</a></p>
    <h1>Aviso</h1>
    ${flash ? html`<p class="ok" role="status">${flash}</p>` : ''}
    <section data-poll="/console/api/broadcasts/${v.id}" aria-labelledby="state-h">
      <h2 id="state-h" aria-live="polite">Estado: <span data-state>${STATES[v.state]}</span></h2>
      ${facts(detail, tz)} ${counts(v)}
      <h3>Por qué no salieron</h3>
      ${reasons(v)} ${v.state !== 'done' && v.state !== 'cancelled' ? cancelForm(session, v.id) : ''}
    </section>
    <h2>Textos</h2>
    ${texts(detail, spelling)}`;
}

function facts({ view: v, owned }: BroadcastDetail, tz: string): Html {
  const schedule = v.repeat
    ? `${describeCron(v.repeat.cron)}, hasta el ${showDate(v.repeat.until, tz)}`
    : v.sendAt
      ? `el ${showTime(v.sendAt, tz)}`
      : `al crearlo (${showTime(v.createdAt, tz)})`;
  return html`<dl class="facts">
    <dt>Para</dt>
    <dd>${owned?.target ?? '—'}</dd>
    <dt>Envío</dt>
    <dd>${schedule}</dd>
    ${
      v.nextAt && v.repeat
        ? html`<dt>Próximo</dt>
            <dd>${showTime(v.nextAt, tz)}</dd>`
        : ''
    }
  </dl>`;
}

function counts(v: BroadcastView): Html {
  return html`<dl class="counts">
    ${COUNTS.map(
      ([key, label]) =>
        html`<div>
          <dt>${label}</dt>
          <dd data-count="${key}">${v.counts[key]}</dd>
        </div>`,
    )}
  </dl>`;
}

function reasons(v: BroadcastView): Html {
  const all = [...Object.entries(v.skippedReasons), ...Object.entries(v.failedReasons)];
  return html`<ul data-reasons>
    ${all.length ? all.map(([k, n]) => html`<li>${REASONS[k] ?? k}: ${n}</li>`) : html`<li>${NO_REASONS}</li>`}
  </ul>`;
}

function cancelForm(session: ConsoleSession, id: string): Html {
  return html`<form
    method="post"
    action="/console/reminders/${id}/cancel"
    data-cancel
    data-confirm="¿Cancelar este aviso? Lo que no salió ya no saldrá."
  >
    ${csrfField(session.csrf)}<button class="danger" type="submit">Cancelar aviso</button>
  </form>`;
}

function texts({ texts }: BroadcastDetail, spelling: SpellingPolicy): Html {
  return html`<div class="grid">
    ${LANGUAGES.map((lang) => {
      const text = texts[lang];
      return html`<div class="card">
        <h3>${LANGUAGE_NAMES[lang]}</h3>
        ${
          text
            ? html`<p lang="${lang}">${text}</p>
                <p class="hint">${describeCount(countSms(text, lang, spelling))}</p>`
            : html`<p class="hint">Sin texto propio: recibe el español.</p>`
        }
      </div>`;
    })}
  </div>`;
}
