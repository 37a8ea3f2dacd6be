/** POST /api/groups/:id/quizzes {lesson} — starts a group quiz from a lesson's questions. */
import type { FastifyInstance } from 'fastify';
import type { QuizRunner } from '../../groups/quiz/quiz-runner.js';
import { adminAuth } from './admin-auth.js';
import { ADMIN_BODY_LIMIT, errorReplies, groupId } from '../json-api/schemas.js';

export interface QuizzesRouteOptions {
  adminToken: string | undefined;
  quizzes: Pick<QuizRunner, 'start'> | null;
}

export async function quizzesRoute(app: FastifyInstance, options: QuizzesRouteOptions) {
  app.post<{ Params: { id: string }; Body: { lesson: string } }>(
    '/api/groups/:id/quizzes',
    {
      onRequest: adminAuth(options.adminToken),
      bodyLimit: ADMIN_BODY_LIMIT,
      schema: {
        params: { type: 'object', required: ['id'], properties: { id: groupId } },
        body: {
          type: 'object',
          required: ['lesson'],
          additionalProperties: false,
          properties: { lesson: { type: 'string', minLength: 1, maxLength: 80 } },
        },
        response: {
          201: { type: 'object', required: ['id'], properties: { id: { type: 'string' } } },
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      // Group quizzes fan out through Twilio: without an outbound sender there are none.
      if (!options.quizzes)
        return reply.code(503).send({ error: 'group quizzes need Twilio to be configured' });
      const started = await options.quizzes.start(request.params.id, request.body.lesson);
      switch (started.status) {
        case 'started':
          return reply.code(201).send({ id: started.quizId });
        case 'no-group':
          return reply.code(404).send({ error: 'no group has this id' });
        case 'no-questions':
          return reply
            .code(422)
            .send({ error: 'no lesson with questions has this id: see GET /api/lessons' });
        case 'running':
          return reply.code(409).send({ error: 'a quiz is already running in this group' });
      }
    },
  );
}
