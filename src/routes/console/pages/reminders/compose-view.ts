/**
 * The reminder composer: one text per language side by side, each with its SMS cost as it will be
 * spelled and billed; who gets it (a coordinator: their own groups; an administrator: also
 * everyone, a language, who has not finished a lesson, who has been quiet); and when.
 */
import { randomBytes } from 'node:crypto';
import { LANGUAGES, type Language } from '../../../../content/locale-schema.js';
import type { Group } from '../../../../groups/group-store.js';
import type { SpellingPolicy } from '../../../../i18n/sms-spelling.js';
import type { ConsoleSession } from '../../auth.js';
import { countSms, describeCount } from '../../sms-count.js';
import { html, type Html } from '../../ui/html.js';
import { LANGUAGE_NAMES } from '../../ui/labels.js';
import { csrfField } from '../../ui/layout.js';
import { WEEKDAYS } from '../../ui/time.js';
import type { Draft } from './draft.js';

export interface Composer {
  session: ConsoleSession;
  draft: Draft;
  /** the groups the viewer may send to */
  groups: Group[];
  /** every lesson, for "who has not finished" */
  lessons: { id: string; title: string }[];
  spelling: SpellingPolicy;
}

const checked = (on: boolean): Html => (on ? html` checked` : html``);
const selected = (on: boolean): Html | string => (on ? html` selected` : '');

export function composeForm(composer: Composer): Html {
  const { session, draft } = composer;
  return html`<form method="post" action="/console/reminders" id="compose">
    ${csrfField(session.csrf)}<input type="hidden" name="idem" value="${randomBytes(12).toString('hex')}" />
    <fieldset>
      <legend>El aviso</legend>
      <p class="hint" id="h-sms">
        Debajo de cada texto: cuántos SMS cuesta por persona y su codificación, ya escrito como sale por SMS
        (sin tildes en á í ó ú). Un SMS lleva 160 caracteres GSM-7, o 70 si hay un carácter fuera de GSM-7
        (por ejemplo un emoji). WhatsApp no cobra por tamaño.
      </p>
      <div class="grid">${LANGUAGES.map((lang) => textBox(draft, lang, composer.spelling))}</div>
    </fieldset>
    ${session.viewer.role === 'admin' ? targetPicker(composer) : groupChoices(composer)}
    ${whenFieldset(draft)}
    <label class="choice"
      ><input type="checkbox" name="smsFallback" ${checked(draft.smsFallback)} /> Si alguien de WhatsApp no
      escribió en 24 horas, enviárselo por SMS</label
    >
    <div class="row">
      <button type="submit" name="action" value="send">Enviar aviso</button
      ><button type="submit" class="quiet" name="action" value="preview">Contar SMS sin enviar</button>
    </div>
  </form>`;
}

function textBox(draft: Draft, lang: Language, spelling: SpellingPolicy): Html {
  const count = countSms(draft.text[lang], lang, spelling);
  const empty = lang === 'es' ? 'vacío' : 'vacío: recibirán el texto en español';
  return html`<div>
    <label for="t-${lang}">${LANGUAGE_NAMES[lang]}${lang === 'es' ? ' (obligatorio)' : ''}</label>
    <textarea
      id="t-${lang}"
      name="text_${lang}"
      lang="${lang}"
      maxlength="1600"
      data-sms="${lang}"
      data-empty="${empty}"
      aria-describedby="c-${lang} h-sms"
      ${lang === 'es' ? html` required` : ''}
    >
${draft.text[lang]}</textarea>
    <output id="c-${lang}" for="t-${lang}" class="count${count.segments > 1 ? ' over' : ''}"
      >${count.chars ? describeCount(count) : empty}</output
    >
  </div>`;
}

function groupChoices({ session, draft, groups }: Composer): Html {
  const admin = session.viewer.role === 'admin';
  if (!groups.length)
    return html`<p class="note">
      ${admin ? 'No hay grupos.' : 'Todavía no tiene grupos: cree uno en Grupos.'}
    </p>`;
  return html`<fieldset>
    <legend>${admin ? 'Grupos' : 'A qué grupos'}</legend>
    ${groups.map(
      (g) =>
        html`<label class="choice"
          ><input type="checkbox" name="groups" value="${g.id}" ${checked(draft.groups.includes(g.id))} />
          ${g.name} <small>(${g.code})</small></label
        >`,
    )}
  </fieldset>`;
}

/** An administrator's choice of who gets it; a coordinator only picks among their groups. */
function targetPicker(composer: Composer): Html {
  const { draft, lessons } = composer;
  return html`<fieldset>
    <legend>A quién</legend>
    <label class="choice"
      ><input type="radio" name="target" value="groups" ${checked(draft.target === 'groups')} /> A grupos
      (marque abajo)</label
    >
    <label class="choice"
      ><input type="radio" name="target" value="all" ${checked(draft.target === 'all')} /> A todas las
      personas</label
    >
    <label class="choice"
      ><input type="radio" name="target" value="locale" ${checked(draft.target === 'locale')} /> A quienes
      usan el idioma</label
    >
    <select name="locale" aria-label="Idioma">
      ${LANGUAGES.map((l) => html`<option value="${l}" ${selected(draft.locale === l)}>${LANGUAGE_NAMES[l]}</option>`)}
    </select>
    <label class="choice"
      ><input type="radio" name="target" value="notFinished" ${checked(draft.target === 'notFinished')} /> A
      quienes no terminaron la lección</label
    >
    <select name="notFinished" aria-label="Lección">
      <option value="">—</option>
      ${lessons.map((l) => html`<option value="${l.id}" ${selected(draft.notFinished === l.id)}>${l.title}</option>`)}
    </select>
    <label class="choice"
      ><input type="radio" name="target" value="inactiveDays" ${checked(draft.target === 'inactiveDays')} /> A
      quienes no escriben hace días:</label
    >
    <input
      type="number"
      name="inactiveDays"
      min="1"
      max="3650"
      value="${draft.inactiveDays}"
      aria-label="Días sin escribir"
    />
    ${groupChoices(composer)}
  </fieldset>`;
}

function whenFieldset(draft: Draft): Html {
  return html`<fieldset>
    <legend>Cuándo</legend>
    <label class="choice"
      ><input type="radio" id="when-now" name="when" value="now" ${checked(draft.when === 'now')} />
      Ahora</label
    >
    <label class="choice"
      ><input type="radio" id="when-at" name="when" value="at" ${checked(draft.when === 'at')} /> En una fecha
      y hora</label
    >
    <div class="when-at">
      <label for="at">Fecha y hora (hora de Bolivia)</label
      ><input id="at" name="at" type="datetime-local" value="${draft.at}" />
    </div>
    <label class="choice"
      ><input type="radio" id="when-weekly" name="when" value="weekly" ${checked(draft.when === 'weekly')} />
      Cada semana</label
    >
    <div class="when-weekly">
      <label for="day">Día</label
      ><select id="day" name="day">
        ${WEEKDAYS.map((d, i) => html`<option value="${i}" ${selected(draft.day === String(i))}>${d}</option>`)}
      </select>
      <label for="time">Hora (hora de Bolivia)</label
      ><input id="time" name="time" type="time" value="${draft.time}" /> <label for="until">Hasta el</label
      ><input id="until" name="until" type="date" value="${draft.until}" />
    </div>
  </fieldset>`;
}
