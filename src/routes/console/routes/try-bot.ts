/**
 * Try the bot: a chat with the real conversation engine as a test number (+59100000000 and a
 * suffix of up to four digits), by SMS or WhatsApp, in any language, so a trainer can walk a
 * lesson before a session. Replies are exactly what a learner would get on that channel (spelled
 * for SMS, with the segment count). The transcript lives in Redis for a week, per console user.
 *
 * Test numbers are taken out of the learner index after every turn, so a broadcast to "all" or
 * by language never texts them; one that joins a group is a member like any other (remove it
 * from the group's page).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LANGUAGES, type Language } from '../../../content/locale-schema.js';
import { learnerId, parseAddress, type Channel } from '../../../privacy/phone.js';
import { segmentInfo } from '../../../i18n/sms-spelling.js';
import { ownerOf } from '../auth.js';
import { one, sendPage, sessionOf, type ConsoleDeps } from '../deps.js';
import { escapeHtml, html, raw } from '../ui/html.js';
import { csrfField } from '../ui/layout.js';
import { LANGUAGE_NAMES } from './groups.js';

export const TEST_NUMBER_BASE = '+59100000000';
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const KEEP_LINES = 80;

/** A chat bubble's caption and text, with no whitespace of the template's inside the text. */
function bubble(who: string, text: string) {
  return raw(`<small>${escapeHtml(who)}</small><p>${escapeHtml(text)}</p>`);
}

interface Line {
  who: 'me' | 'bot';
  text: string;
  channel: Channel;
}

export async function tryRoutes(app: FastifyInstance, deps: ConsoleDeps) {
  const keyOf = (owner: string, what: 'cfg' | 'log') => `${deps.keyPrefix}console:try:${owner}:${what}`;
  const defaultSuffix = (owner: string) =>
    String(parseInt(createHash('sha256').update(owner).digest('hex').slice(0, 8), 16) % 10_000).padStart(
      4,
      '0',
    );

  const settings = async (owner: string): Promise<{ suffix: string; channel: Channel }> => {
    const cfg = await deps.redis.hgetall(keyOf(owner, 'cfg'));
    return {
      suffix: /^\d{1,4}$/.test(cfg.suffix ?? '') ? (cfg.suffix as string) : defaultSuffix(owner),
      channel: cfg.channel === 'whatsapp' ? 'whatsapp' : 'sms',
    };
  };

  /** One message from the test number through the engine, written to the transcript. */
  const turn = async (owner: string, text: string, log = true) => {
    const { suffix, channel } = await settings(owner);
    const phone = `${TEST_NUMBER_BASE}${suffix}`;
    const address = parseAddress(channel === 'whatsapp' ? `whatsapp:${phone}` : phone);
    if (!address) throw new Error('bad test number');
    const result = await deps.engine.handle({
      address,
      body: text,
      messageSid: `SM${randomBytes(16).toString('hex')}`,
    });
    await deps.redis.srem(deps.keys.learners(), learnerId(phone));
    if (!log) return;
    const lines: Line[] = [
      { who: 'me', text, channel },
      ...result.replies.map((r) => ({ who: 'bot' as const, text: r, channel })),
    ];
    const key = keyOf(owner, 'log');
    await deps.redis
      .multi()
      .rpush(key, ...lines.map((l) => JSON.stringify(l)))
      .ltrim(key, -KEEP_LINES, -1)
      .pexpire(key, KEEP_MS)
      .exec();
  };

  app.get('/console/try', async (request, reply) => {
    const session = sessionOf(request);
    const owner = ownerOf(session.viewer);
    const { suffix, channel } = await settings(owner);
    const lines = (await deps.redis.lrange(keyOf(owner, 'log'), 0, -1)).map((l) => JSON.parse(l) as Line);
    const chat = lines.length
      ? html`<ol class="chat" aria-label="Conversación">
          ${lines.map((l, i) => {
            const sms = l.who === 'bot' && l.channel === 'sms' ? segmentInfo(l.text) : null;
            const who = `${l.who === 'me' ? 'Usted' : 'Ayni'}${sms ? ` · ${sms.segments} SMS ${sms.encoding}` : ''}`;
            // The text keeps its line breaks (white-space: pre-wrap), so it is written exactly.
            return html`<li class="${l.who}" ${i === lines.length - 1 ? html` id="end"` : ''}>
              ${bubble(who, l.text)}
            </li>`;
          })}
        </ol>`
      : html`<p class="note">Escriba "hola" para empezar, o elija un idioma y pulse "Empezar de nuevo".</p>`;
    const body = html`<h1>Probar el bot</h1>
      <p>
        Hable con Ayni como lo haría una persona del grupo, con el número de prueba
        <strong>${TEST_NUMBER_BASE}${suffix}</strong> por
        <strong>${channel === 'sms' ? 'SMS' : 'WhatsApp'}</strong>. Las respuestas son las reales de ese
        canal.
      </p>
      ${chat}
      <form method="post" action="/console/try/send" class="card">
        ${csrfField(session.csrf)} <label for="say">Su mensaje</label
        ><input id="say" name="text" type="text" maxlength="1600" required autocomplete="off" autofocus />
        <button type="submit">Enviar</button>
      </form>
      <details class="card" ${lines.length ? '' : html` open`}>
        <summary>Número, canal e idioma</summary>
        <form method="post" action="/console/try/reset">
          ${csrfField(session.csrf)} <label for="suffix">Número de prueba: ${TEST_NUMBER_BASE} y</label
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
        </form>
      </details>`;
    return sendPage(reply, deps, { title: 'Probar el bot', session, nav: 'try', body });
  });

  app.post(
    '/console/try/send',
    { schema: { body: { type: 'object', properties: { text: { type: 'string', maxLength: 1600 } } } } },
    async (request, reply) => {
      const owner = ownerOf(sessionOf(request).viewer);
      const text = one((request.body as Record<string, unknown>).text).trim();
      if (text) await turn(owner, text);
      return reply.redirect('/console/try#end', 303);
    },
  );

  app.post(
    '/console/try/reset',
    { schema: { body: { type: 'object', properties: { suffix: { type: 'string', maxLength: 8 } } } } },
    async (request, reply) => {
      const owner = ownerOf(sessionOf(request).viewer);
      const body = request.body as Record<string, unknown>;
      const suffix = one(body.suffix).trim();
      const channel = one(body.channel) === 'whatsapp' ? 'whatsapp' : 'sms';
      const lang = one(body.lang) as Language;
      await deps.redis.hset(keyOf(owner, 'cfg'), {
        suffix: /^\d{1,4}$/.test(suffix) ? suffix : defaultSuffix(owner),
        channel,
      });
      await deps.redis.pexpire(keyOf(owner, 'cfg'), KEEP_MS);
      await turn(owner, 'BORRAR', false);
      await deps.redis.del(keyOf(owner, 'log'));
      await turn(owner, 'hola');
      const choice = LANGUAGES.indexOf(LANGUAGES.includes(lang) ? lang : 'es') + 1;
      await turn(owner, String(choice));
      return reply.redirect('/console/try#end', 303);
    },
  );
}
