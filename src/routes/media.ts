/**
 * GET /media/<lang>/<flow>/<step>.png: a lesson step's picture in a language, for Twilio to fetch
 * when it sends it on WhatsApp (so it is public, like the course itself). Cached by phones and
 * Twilio for a day, and revalidated by its ETag after a content deploy.
 * GET /media/certificate/<lang>/<code>.png?t=<token>: a learner's certificate, drawn on demand;
 * the token (certificate-token.ts) keeps it from being found by its code alone, as it may carry
 * the learner's name. A wrong token and an unknown code get the same 404.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import { normalizeCode } from '../flows/completion-code.js';
import { isCertificateToken } from './certificate-token.js';

const DAY_SECONDS = 24 * 60 * 60;
const ID = '^[a-z0-9][a-z0-9_-]{0,63}$';

export async function mediaRoutes(app: FastifyInstance): Promise<void> {
  await certificateRoute(app);
  app.get<{ Params: { lang: Language; flow: string; step: string } }>(
    '/media/:lang/:flow/:step.png',
    {
      schema: {
        params: {
          type: 'object',
          required: ['lang', 'flow', 'step'],
          properties: {
            lang: { type: 'string', enum: [...LANGUAGES] },
            flow: { type: 'string', pattern: ID },
            step: { type: 'string', pattern: ID },
          },
        },
      },
    },
    async (request, reply) => {
      const { lang, flow, step } = request.params;
      const png = app.content.pictures.png(lang, flow, step);
      if (!png) return reply.code(404).send({ error: 'no such picture' });
      const etag = `"${createHash('sha256').update(png).digest('base64url').slice(0, 22)}"`;
      reply.header('cache-control', `public, max-age=${DAY_SECONDS}`).header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      return reply.type('image/png').send(png);
    },
  );
}

async function certificateRoute(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { lang: Language; code: string }; Querystring: { t?: string } }>(
    '/media/certificate/:lang/:code.png',
    {
      schema: {
        params: {
          type: 'object',
          required: ['lang', 'code'],
          properties: {
            lang: { type: 'string', enum: [...LANGUAGES] },
            code: { type: 'string', maxLength: 40 },
          },
        },
        querystring: { type: 'object', properties: { t: { type: 'string', maxLength: 64 } } },
      },
    },
    async (request, reply) => {
      const { lang } = request.params;
      const code = normalizeCode(request.params.code);
      const token = request.query.t ?? '';
      const record =
        code && isCertificateToken(app.config.ID_SECRET, lang, code, token)
          ? await app.completions.find(code)
          : null;
      if (!code || !record) return reply.code(404).send({ error: 'no such certificate' });
      const name = await app.stores.certificateNames.get(record.learner);
      const png = app.content.certificates.png({ lang, code, on: record.on, name });
      // It may carry a name, and the name may change: kept by the one who fetched it, briefly.
      reply.header('cache-control', 'private, max-age=300');
      return reply.type('image/png').send(png);
    },
  );
}
