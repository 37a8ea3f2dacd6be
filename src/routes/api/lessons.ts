/** GET /api/lessons — every lesson of the course with its Spanish title, to pick one for a quiz. */
import type { FastifyInstance } from 'fastify';
import { qualifyKey, type Course } from '../../flows/course.js';
import type { Translator } from '../../i18n/translator.js';
import { adminAuth } from './admin-auth.js';
import { errorReplies } from '../json-api/schemas.js';

export interface LessonsRouteOptions {
  adminToken: string | undefined;
  course: Pick<Course, 'lessons'>;
  translator: Pick<Translator, 't'>;
}

export async function lessonsRoute(app: FastifyInstance, options: LessonsRouteOptions) {
  // Content is fixed for the life of a process (a content change is a deploy): render once.
  const lessons = options.course.lessons.map((lesson) => ({
    id: lesson.id,
    title: options.translator.t('es', qualifyKey(lesson.id, lesson.title)),
  }));

  app.get(
    '/api/lessons',
    {
      onRequest: adminAuth(options.adminToken),
      schema: {
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              required: ['id', 'title'],
              properties: { id: { type: 'string' }, title: { type: 'string' } },
            },
          },
          ...errorReplies,
        },
      },
    },
    async () => lessons,
  );
}
