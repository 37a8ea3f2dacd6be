/** The verify page: a form for a completion code, and what the lookup found. */
import { html, type Html } from '../../ui/html.js';

export function verifyBody(typed: string, result: Html | string): Html {
  return html`<h1>Verificar un código de finalización</h1>
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
}

export function tooManyLookups(): Html {
  return html`<p class="error" role="alert">Demasiadas consultas en una hora. Espere un rato.</p>`;
}

export const notACode = html`<p class="error" role="alert">
  Un código tiene esta forma: AYNI-XXXX-XXXX (8 letras y cifras).
</p>`;

export function validCode(code: string, section: string, on: string): Html {
  return html`<p class="ok" role="status">
    <strong>${code}</strong> es válido: terminó <strong>${section}</strong> el ${on}.
  </p>`;
}

export function unknownCode(code: string): Html {
  return html`<p class="error" role="alert">
    <strong>${code}</strong> no es un código entregado por Ayni (o la persona borró sus datos).
  </p>`;
}
