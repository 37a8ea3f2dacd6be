/**
 * The Textos pages: the languages and lessons with their progress (reviewed / total), and a
 * lesson's texts, each with its Spanish source, the current draft and its note, the learners'
 * suggestions, and a form to save a correction or mark it reviewed. The SMS counter under each
 * text counts live as the reviewer types (the console script), against the text's budget.
 */
import type { Language } from '../../../../content/locale-schema.js';
import type { SmsCount } from '../../sms-count.js';
import { csrfField } from '../../ui/layout.js';
import { html, type Html } from '../../ui/html.js';
import { LANGUAGE_NAMES } from '../../ui/labels.js';
import type { LessonProgress, TextRow } from './review-data.js';

export interface LanguageSummary {
  lang: Language;
  lessons: LessonProgress[];
}

const sum = (lessons: LessonProgress[], key: 'reviewed' | 'total') => lessons.reduce((n, l) => n + l[key], 0);

function progress(reviewed: number, total: number): Html {
  return html`<span class="count">${reviewed} / ${total} revisados</span>
    <progress value="${reviewed}" max="${total}">${reviewed} / ${total}</progress>`;
}

export function languagesBody(summaries: LanguageSummary[], admin: boolean): Html {
  return html`<h1>Textos</h1>
    <p class="hint">
      Revise los textos en aymara y quechua junto al original en español. Lo que guarde queda como propuesta:
      un administrador la descarga como planilla y la incorpora al curso.
    </p>
    ${summaries.map(
      ({ lang, lessons }) =>
        html`<section class="card">
          <h2>${LANGUAGE_NAMES[lang]}</h2>
          <p>${progress(sum(lessons, 'reviewed'), sum(lessons, 'total'))}</p>
          ${
            admin
              ? html`<p>
                  <a class="button" href="/console/texts/${lang}/propuestas.xlsx"
                    >Descargar las propuestas (planilla)</a
                  >
                </p>`
              : ''
          }
          <ul>
            ${lessons.map(
              (l) =>
                html`<li>
                  <a href="/console/texts/${lang}/${l.ns}">${l.title}</a> · ${l.reviewed} / ${l.total}
                </li>`,
            )}
          </ul>
        </section>`,
    )}`;
}

export interface LessonPage {
  lang: Language;
  lesson: LessonProgress;
  rows: TextRow[];
  csrf: string;
  budget: number;
  /** the SMS count of a text as the reviewer will see it before typing */
  count: (text: string) => SmsCount;
  describe: (count: SmsCount) => string;
  /** a saved proposal's time, as the console shows times */
  when: (at: number) => string;
  /** the text just saved, or one refused with why */
  saved?: string;
  refused?: { id: string; message: string; typed: string };
}

export function lessonBody(view: LessonPage): Html {
  const { lang, lesson } = view;
  return html`<p><a href="/console/texts">← Textos</a></p>
    <h1>${lesson.title}</h1>
    <p>${LANGUAGE_NAMES[lang]} · ${progress(lesson.reviewed, lesson.total)}</p>
    ${view.rows.map((row, i) => textCard(view, row, i))}`;
}

function textCard(view: LessonPage, row: TextRow, i: number): Html {
  const refused = view.refused?.id === row.id ? view.refused : undefined;
  const value = refused?.typed ?? row.proposal?.text ?? row.text;
  const count = view.count(value);
  return html`<section class="card" id="t${i}">
    <h2>${row.key}${row.done ? ' · revisado' : ''}</h2>
    <p><strong>Español:</strong> ${row.source}</p>
    <p><strong>Texto actual:</strong> ${row.text}</p>
    ${row.note ? html`<p class="note"><strong>Nota:</strong> ${row.note}</p>` : ''}
    ${
      row.placeholders.length
        ? html`<p class="hint">Mantenga tal cual: ${row.placeholders.join(' ')}</p>`
        : ''
    }
    ${
      row.suggestions.length
        ? html`<details open>
            <summary>Sugerencias de estudiantes (${row.suggestions.length})</summary>
            <ul>
              ${row.suggestions.map((s) => html`<li>${s.count}× ${s.text}</li>`)}
            </ul>
          </details>`
        : ''
    }
    ${
      row.proposal
        ? html`<p class="hint">Propuesta guardada por ${row.proposal.by}, ${view.when(row.proposal.at)}</p>`
        : ''
    }
    ${view.saved === row.id ? html`<p class="ok" role="status">Guardado.</p>` : ''}
    ${refused ? html`<p class="error" role="alert">${refused.message}</p>` : ''}
    <form method="post" action="/console/texts/${view.lang}/${view.lesson.ns}#t${i}">
      ${csrfField(view.csrf)}
      <input type="hidden" name="key" value="${row.id}" />
      <label for="x${i}">Texto corregido</label>
      <textarea
        id="x${i}"
        name="text"
        lang="${view.lang}"
        maxlength="1600"
        rows="3"
        data-sms="${view.lang}"
        data-budget="${view.budget}"
        aria-describedby="c${i}"
      >
${value}</textarea>
      <output id="c${i}" for="x${i}" class="count${count.segments > view.budget ? ' over' : ''}"
        >${view.describe(count)}</output
      >
      <label class="choice"
        ><input type="checkbox" name="reviewed" value="1" ${row.proposal?.reviewed ? html`checked` : ''} />
        Revisado: el texto está bien así</label
      >
      <button type="submit">Guardar</button>
    </form>
  </section>`;
}
