/** GET /api/completions/:code — a coordinator checks a learner's completion code. */
import type { FastifyInstance } from 'fastify';
import { normalizeCode } from '../../flows/completion-code.js';
import { adminAuth } from './admin-auth.js';

export async function completionsRoute(app: FastifyInstance, options: { adminToken: string | undefined }) {
  app.get<{ Params: { code: string } }>(
    '/api/completions/:code',
    {
      onRequest: adminAuth(options.adminToken),
      schema: {
        params: {
          type: 'object',
          properties: { code: { type: 'string', maxLength: 40 } },
          required: ['code'],
        },
        response: {
          200: {
            type: 'object',
            properties: { code: { type: 'string' }, section: { type: 'string' }, on: { type: 'string' } },
          },
        },
      },
    },
    async (request, reply) => {
      const code = normalizeCode(request.params.code);
      if (!code) return reply.code(400).send({ error: 'a code looks like AYNI-XXXX-XXXX' });
      const record = await app.completions.find(code);
      if (!record) return reply.code(404).send({ error: 'no learner earned this code' });
      return { code: record.code, section: record.section, on: record.on };
    },
  );
}
