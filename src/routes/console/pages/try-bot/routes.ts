/**
 * Try the bot: a chat with the real conversation engine as a test number, by SMS or WhatsApp, in
 * any language, so a trainer can walk a lesson before a session. Replies are exactly what a
 * learner would get on that channel (spelled for SMS, with the segment count). The chats
 * themselves are test-chats.ts.
 */
import type { FastifyInstance } from 'fastify';
import { LANGUAGES, type Language } from '../../../../content/locale-schema.js';
import { scopeOf, sessionOf, type ConsoleContext } from '../../context.js';
import { field } from '../../ui/form.js';
import { sendPage } from '../../ui/respond.js';
import { tryBody } from './view.js';

const form = (fields: Record<string, number>) => ({
  body: {
    type: 'object',
    properties: Object.fromEntries(
      Object.entries(fields).map(([name, maxLength]) => [name, { type: 'string', maxLength }]),
    ),
  },
});

export async function tryRoutes(app: FastifyInstance, context: ConsoleContext) {
  app.get('/console/try', async (request, reply) => {
    const session = sessionOf(request);
    const { chat } = scopeOf(context, request);
    const body = tryBody(session, await chat.settings(), await chat.lines());
    return sendPage(reply, context.assets, { title: 'Probar el bot', session, nav: 'try', body });
  });

  app.post('/console/try/send', { schema: form({ text: 1600 }) }, async (request, reply) => {
    const text = field(request.body, 'text').trim();
    if (text) await scopeOf(context, request).chat.say(text);
    return reply.redirect('/console/try#end', 303);
  });

  app.post('/console/try/reset', { schema: form({ suffix: 8 }) }, async (request, reply) => {
    const lang = field(request.body, 'lang') as Language;
    await scopeOf(context, request).chat.restart(
      field(request.body, 'suffix').trim(),
      field(request.body, 'channel') === 'whatsapp' ? 'whatsapp' : 'sms',
      LANGUAGES.includes(lang) ? lang : 'es',
    );
    return reply.redirect('/console/try#end', 303);
  });
}
