/**
 * A group's progress for its coordinator (`Authorization: Bearer $ADMIN_TOKEN`):
 *   GET /api/groups/:id/progress       JSON
 *   GET /api/groups/:id/progress.csv   the same, one row per member, for a spreadsheet
 * The report itself is src/groups/progress-report.ts; the CSV is streamed as members are read.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Course } from '../../flows/course.js';
import type { GroupStore } from '../../groups/group-store.js';
import { progressCsv } from '../../groups/progress-csv.js';
import { ProgressReports } from '../../groups/progress-report.js';
import type { QuizStore } from '../../groups/quiz/quiz-store.js';
import type { Translator } from '../../i18n/translator.js';
import type { SessionStore } from '../../store/session-store.js';
import {
  progressCsvName,
  progressCsvReplies,
  progressParams,
  progressReplies,
} from '../json-api/progress-schemas.js';
import { useStrictInput } from '../json-api/strict-input.js';
import { adminAuth } from './admin-auth.js';

/** tests/broadcasts/progress.test.ts checks the CSV escaping here, where the API's CSV is made. */
export { csvLine } from '../../groups/progress-csv.js';

export interface ProgressApiOptions {
  adminToken: string | undefined;
  groups: Pick<GroupStore, 'get' | 'members' | 'count'>;
  sessions: Pick<SessionStore, 'loadMany'>;
  quizzes: Pick<QuizStore, 'results' | 'points'>;
  course: Pick<Course, 'lessons'>;
  translator: Pick<Translator, 't'>;
}

export async function progressApi(app: FastifyInstance, options: ProgressApiOptions): Promise<void> {
  useStrictInput(app);
  const auth = adminAuth(options.adminToken);
  const reports = new ProgressReports(options);

  app.get<{ Params: { id: string } }>(
    '/api/groups/:id/progress',
    {
      onRequest: auth,
      schema: {
        summary: "A group's progress: each member's lessons, quiz points and feasibility result",
        params: progressParams,
        response: progressReplies,
      },
    },
    async (request, reply) => {
      const group = await options.groups.get(request.params.id);
      if (!group) return reply.code(404).send({ error: 'no group has this id' });
      return reports.report(group);
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/groups/:id/progress.csv',
    {
      onRequest: auth,
      schema: {
        summary: 'The group progress as CSV, one row per member',
        params: progressParams,
        produces: ['text/csv'],
        response: progressCsvReplies,
      },
    },
    async (request, reply) => {
      const group = await options.groups.get(request.params.id);
      if (!group) return reply.code(404).send({ error: 'no group has this id' });
      const quizzes = await reports.quizzes(group);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', progressCsvName(group.id))
        .send(Readable.from(progressCsv(reports, group, quizzes)));
    },
  );
}
