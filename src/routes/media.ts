/**
 * GET /media/<lang>/<flow>/<step>.png: a lesson step's picture in a language, for Twilio to fetch
 * when it sends it on WhatsApp (so it is public, like the course itself). Cached by phones and
 * Twilio for a day, and revalidated by its ETag after a content deploy.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { LANGUAGES, type Language } from '../content/locale-schema.js';

const DAY_SECONDS = 24 * 60 * 60;
const ID = '^[a-z0-9][a-z0-9_-]{0,63}$';

export async function mediaRoutes(app: FastifyInstance): Promise<void> {
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
