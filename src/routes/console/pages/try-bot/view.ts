/** The "try the bot" page: the chat so far, a box to write in, and the test number's settings. */
import { LANGUAGES } from '../../../../content/locale-schema.js';
import { segmentInfo } from '../../../../i18n/sms-spelling.js';
import type { ConsoleSession } from '../../auth.js';
import type { ChatLine, ChatSettings } from '../../test-chats.js';
import { escapeHtml, html, raw, type Html } from '../../ui/html.js';
import { channelName, LANGUAGE_NAMES } from '../../ui/labels.js';
import { csrfField } from '../../ui/layout.js';

export function tryBody(session: ConsoleSession, settings: ChatSettings, lines: ChatLine[]): Html {
  return html`<h1>Probar el bot</h1>
    <p>
      Hable con Ayni como lo haría una persona del grupo, con el número de prueba
      <strong>${settings.base}${settings.suffix}</strong> por
      <strong>${channelName(settings.channel)}</strong>. Las respuestas son las reales de ese canal.
    </p>
    ${chat(lines)}
    <form method="post" action="/console/try/send" class="card">
      ${csrfField(session.csrf)} <label for="say">Su mensaje</label
      ><input id="say" name="text" type="text" maxlength="1600" required autocomplete="off" autofocus />
      <button type="submit">Enviar</button>
    </form>
    <details class="card" ${lines.length ? '' : html` open`}>
      <summary>Número, canal e idioma</summary>
      ${settingsForm(session, settings)}
    </details>`;
}

const NO_CHAT_YET = raw(
  '<p class="note">Escriba "hola" para empezar, o elija un idioma y pulse "Empezar de nuevo".</p>',
);

function chat(lines: ChatLine[]): Html {
  if (!lines.length) return NO_CHAT_YET;
  return html`<ol class="chat" aria-label="Conversación">
    ${lines.map((l, i) => {
      const sms = l.who === 'bot' && l.channel === 'sms' ? segmentInfo(l.text) : null;
      const who = `${l.who === 'me' ? 'Usted' : 'Ayni'}${sms ? ` · ${sms.segments} SMS ${sms.encoding}` : ''}`;
      // The text keeps its line breaks (white-space: pre-wrap), so it is written exactly.
      return html`<li class="${l.who}" ${i === lines.length - 1 ? html` id="end"` : ''}>
        ${bubble(who, l.text)}
      </li>`;
    })}
  </ol>`;
}

/** A chat bubble's caption and text, with no whitespace of the template's inside the text. */
function bubble(who: string, text: string): Html {
  return raw(`<small>${escapeHtml(who)}</small><p>${escapeHtml(text)}</p>`);
}

function settingsForm(session: ConsoleSession, { base, suffix, channel }: ChatSettings): Html {
  return html`<form method="post" action="/console/try/reset">
    ${csrfField(session.csrf)} <label for="suffix">Número de prueba: ${base} y</label
    ><input
      id="suffix"
      name="suffix"
      type="text"
      inputmode="numeric"
      pattern="[0-9]{1,4}"
      maxlength="4"
      value="${suffix}"
      aria-describedby="suffix-h"
    />
    <p class="hint" id="suffix-h">Hasta 4 cifras. Otro final es otra persona, con su propio avance.</p>
    <fieldset>
      <legend>Canal</legend>
      <label class="choice"
        ><input type="radio" name="channel" value="sms" ${channel === 'sms' ? html` checked` : ''} />
        SMS</label
      >
      <label class="choice"
        ><input
          type="radio"
          name="channel"
          value="whatsapp"
          ${channel === 'whatsapp' ? html` checked` : ''}
        />
        WhatsApp</label
      >
    </fieldset>
    <label for="lang">Idioma</label
    ><select id="lang" name="lang">
      ${LANGUAGES.map((l) => html`<option value="${l}">${LANGUAGE_NAMES[l]}</option>`)}
    </select>
    <p class="hint">"Empezar de nuevo" borra los datos de este número de prueba y elige el idioma.</p>
    <button type="submit">Empezar de nuevo</button>
  </form>`;
}
