/** The login pages: the number (or the admin token), then the code. */
import { maskPhone } from '../../../../privacy/phone.js';
import { CODE_TTL_MS } from '../../auth.js';
import { html, type Html } from '../../ui/html.js';

export interface LoginForm {
  /** the double-submit token the forms repeat */
  pre: string;
  /** where to go once signed in */
  next: string;
  error?: string;
}

export function loginBody(form: LoginForm & { note?: string; phone?: string }, canText: boolean): Html {
  const { pre, next } = form;
  return html`<h1>Entrar a la consola</h1>
    ${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ''}${form.note ? html`<p class="ok" role="status">${form.note}</p>` : ''}
    <p>
      Escriba el número de celular con el que coordina. Ayni le enviará un código de 6 cifras por SMS o
      WhatsApp.
    </p>
    ${canText ? '' : textingOff()}
    <form method="post" action="/console/login/code">
      <input type="hidden" name="_pre" value="${pre}" /><input type="hidden" name="next" value="${next}" />
      <label for="phone">Número de celular</label>
      <input
        id="phone"
        name="phone"
        type="tel"
        inputmode="tel"
        autocomplete="tel"
        required
        placeholder="+591 71234567"
        value="${form.phone ?? ''}"
        aria-describedby="phone-hint"
      />
      <p class="hint" id="phone-hint">
        Con código de país (+591), o solo los 8 dígitos de un celular de Bolivia.
      </p>
      <button type="submit">Enviarme un código</button>
    </form>
    <details class="card">
      <summary>Entrar como administración</summary>
      <form method="post" action="/console/login/admin">
        <input type="hidden" name="_pre" value="${pre}" /><input type="hidden" name="next" value="${next}" />
        <label for="token">Token de administración (ADMIN_TOKEN)</label>
        <input id="token" name="token" type="password" autocomplete="current-password" required />
        <button type="submit">Entrar</button>
      </form>
    </details>`;
}

function textingOff(): Html {
  return html`<p class="note">
    El envío de códigos por SMS o WhatsApp no está configurado en este servidor (TWILIO_ACCOUNT_SID y un
    número emisor). La administración puede entrar con su token.
  </p>`;
}

export function codeBody(form: LoginForm & { phone: string }): Html {
  const { pre, next, phone } = form;
  return html`<h1>Escriba el código</h1>
    ${form.error ? html`<p class="error" role="alert">${form.error}</p>` : ''}
    <p role="status">
      Si ${maskPhone(phone)} es un número de coordinación registrado, Ayni le envió un código de 6 cifras.
      Vence en ${CODE_TTL_MS / 60_000} minutos.
    </p>
    <form method="post" action="/console/login/verify">
      <input type="hidden" name="_pre" value="${pre}" /><input
        type="hidden"
        name="next"
        value="${next}"
      /><input type="hidden" name="phone" value="${phone}" />
      <label for="code">Código</label>
      <input
        id="code"
        name="code"
        type="text"
        inputmode="numeric"
        autocomplete="one-time-code"
        pattern="[0-9 ]{6,8}"
        maxlength="8"
        required
        autofocus
      />
      <button type="submit">Entrar</button>
    </form>
    <p><a href="/console/login">Usar otro número o pedir otro código</a></p>`;
}
