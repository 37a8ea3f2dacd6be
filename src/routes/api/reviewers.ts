/**
 * POST /api/reviewers {phone, name, languages}: an administrator registers (or renames, or gives
 * new languages to) a native speaker who reviews texts in the console's Textos page.
 */
import type { FastifyInstance } from 'fastify';
import type { Language } from '../../content/locale-schema.js';
import { REVIEW_LANGUAGES } from '../../i18n/review/review-languages.js';
import { cleanName } from '../../reading/names.js';
import type { ReviewerStore } from '../../store/reviewer-store.js';
import { ADMIN_BODY_LIMIT, displayName, e164, errorReplies, UNPRINTABLE_NAME } from '../json-api/schemas.js';
import { adminAuth } from './admin-auth.js';

export interface ReviewersRouteOptions {
  adminToken: string | undefined;
  reviewers: ReviewerStore;
}

type Body = { phone: string; name: string; languages: Language[] };

const languages = {
  type: 'array',
  minItems: 1,
  uniqueItems: true,
  items: { type: 'string', enum: [...REVIEW_LANGUAGES] },
} as const;

export async function reviewersRoute(app: FastifyInstance, options: ReviewersRouteOptions) {
  app.post<{ Body: Body }>(
    '/api/reviewers',
    {
      onRequest: adminAuth(options.adminToken),
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        body: {
          type: 'object',
          required: ['phone', 'name', 'languages'],
          additionalProperties: false,
          properties: { phone: e164, name: displayName, languages },
        },
        response: {
          201: {
            type: 'object',
            required: ['phone', 'name', 'languages'],
            properties: { phone: { type: 'string' }, name: { type: 'string' }, languages },
          },
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const name = cleanName(request.body.name);
      if (!name) return reply.code(400).send({ error: UNPRINTABLE_NAME });
      const reviewer = await options.reviewers.register({ ...request.body, name });
      return reply.code(201).send(reviewer);
    },
  );
}
