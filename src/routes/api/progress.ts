/**
 * A group's progress for its coordinator (`Authorization: Bearer $ADMIN_TOKEN`):
 *   GET /api/groups/:id/progress       JSON
 *   GET /api/groups/:id/progress.csv   the same, one row per member, for a spreadsheet
 * Per member: the number masked, lessons done with right answers per lesson (from the learner's
 * own progress), the feasibility check's result, and points in each of the group's quizzes.
 * Members are read a page at a time; the CSV is streamed as it is read.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Course } from '../../flows/course.js';
import { qualifyKey } from '../../flows/course.js';
import type { Group, GroupStore } from '../../groups/group-store.js';
import type { QuizResult, QuizStore } from '../../groups/quiz/quiz-store.js';
import type { Translator } from '../../i18n/translator.js';
import { maskPhone, parseAddress } from '../../privacy/phone.js';
import type { SessionStore } from '../../store/session-store.js';
import { adminAuth } from './admin-auth.js';
import { errorReplies, groupId } from '../json-api/schemas.js';
import { useStrictInput } from '../json-api/strict-input.js';

export interface ProgressApiOptions {
  adminToken: string | undefined;
  groups: Pick<GroupStore, 'get' | 'members' | 'count'>;
  sessions: Pick<SessionStore, 'loadMany'>;
  quizzes: Pick<QuizStore, 'results'>;
  course: Pick<Course, 'lessons' | 'flow'>;
  translator: Pick<Translator, 't'>;
}

/** One member's row of the progress report (the console draws its timeline from it). */
export interface MemberProgress {
  member: string;
  channel: 'sms' | 'whatsapp';
  lang: string | null;
  optedOut: boolean;
  lastMessageAt: string;
  lessonsDone: number;
  lessons: Record<string, { right: number; questions: number }>;
  feasibility: { percent: number; on: string; areas: Record<string, number> } | null;
  quizzes: Record<string, number>;
}

const int = { type: 'integer', minimum: 0 } as const;
const memberSchema = {
  type: 'object',
  properties: {
    member: { type: 'string', description: 'masked, e.g. +591*****567' },
    channel: { type: 'string', enum: ['sms', 'whatsapp'] },
    lang: { type: ['string', 'null'] },
    optedOut: { type: 'boolean' },
    lastMessageAt: { type: 'string' },
    lessonsDone: int,
    lessons: {
      type: 'object',
      description: 'finished lessons by id: right answers at the first try, of questions',
      additionalProperties: { type: 'object', properties: { right: int, questions: int } },
    },
    feasibility: {
      type: ['object', 'null'],
      properties: {
        percent: int,
        on: { type: 'string' },
        areas: { type: 'object', additionalProperties: { type: 'integer' } },
      },
    },
    quizzes: {
      type: 'object',
      description: 'points in each group quiz, by quiz id',
      additionalProperties: { type: 'integer' },
    },
  },
} as const;

const params = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: groupId },
} as const;

export async function progressApi(app: FastifyInstance, options: ProgressApiOptions): Promise<void> {
  useStrictInput(app);
  const auth = adminAuth(options.adminToken);
  const lessons = options.course.lessons.map((lesson) => ({
    id: lesson.id,
    title: options.translator.t('es', qualifyKey(lesson.id, lesson.title)),
    questions: lesson.steps.filter((s) => s.type === 'question').length,
  }));

  const quizzesOf = async (group: Group) => {
    const results = await options.quizzes.results(group.id);
    return results.map((result) => ({
      result,
      summary: {
        id: result.id,
        lesson: result.flow,
        finishedAt: new Date(result.finishedAt).toISOString(),
        participants: result.participants,
        groupScore: result.groupScore,
        questions: lessons.find((l) => l.id === result.flow)?.questions ?? 0,
      },
    }));
  };

  /** Members a page at a time, with their progress. */
  async function* memberPages(group: Group, results: QuizResult[]): AsyncGenerator<MemberProgress[]> {
    for await (const ids of options.groups.members(group.id)) {
      const sessions = await options.sessions.loadMany(ids);
      const rows: MemberProgress[] = [];
      ids.forEach((learner, i) => {
        const session = sessions[i];
        const address = session && parseAddress(session.address);
        if (!session || !address) return; // deleted their data
        const context = session.snapshot.context;
        const done = Object.fromEntries(
          Object.entries(context.done ?? {})
            .filter(([id]) => lessons.some((l) => l.id === id))
            .map(([id, [right, questions]]) => [id, { right, questions }]),
        );
        const areas = context.feasibility?.areas ?? {};
        const values = Object.values(areas);
        rows.push({
          member: maskPhone(address.phone),
          channel: address.channel,
          lang: context.lang,
          optedOut: session.optedOut,
          lastMessageAt: new Date(session.lastInboundAt).toISOString(),
          lessonsDone: Object.keys(done).length,
          lessons: done,
          feasibility: context.feasibility
            ? {
                percent: values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0,
                on: context.feasibility.on,
                areas,
              }
            : null,
          quizzes: Object.fromEntries(results.map((r) => [r.id, r.scores[learner] ?? 0])),
        });
      });
      if (rows.length) yield rows;
    }
  }

  app.get<{ Params: { id: string } }>(
    '/api/groups/:id/progress',
    {
      onRequest: auth,
      schema: {
        summary: "A group's progress: each member's lessons, quiz points and feasibility result",
        params,
        response: {
          200: {
            type: 'object',
            required: ['group', 'lessons', 'quizzes', 'members'],
            properties: {
              group: {
                type: 'object',
                properties: { id: groupId, name: { type: 'string' }, members: int },
              },
              lessons: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { id: { type: 'string' }, title: { type: 'string' }, questions: int },
                },
              },
              quizzes: {
                type: 'array',
                description: "the group's finished quizzes, newest first",
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    lesson: { type: 'string' },
                    finishedAt: { type: 'string' },
                    participants: int,
                    groupScore: { type: 'integer', description: 'percent' },
                    questions: int,
                  },
                },
              },
              members: { type: 'array', items: memberSchema },
            },
          },
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const group = await options.groups.get(request.params.id);
      if (!group) return reply.code(404).send({ error: 'no group has this id' });
      const quizzes = await quizzesOf(group);
      const members: MemberProgress[] = [];
      for await (const rows of memberPages(
        group,
        quizzes.map((q) => q.result),
      ))
        members.push(...rows);
      return {
        group: { id: group.id, name: group.name, members: await options.groups.count(group.id) },
        lessons,
        quizzes: quizzes.map((q) => q.summary),
        members,
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/groups/:id/progress.csv',
    {
      onRequest: auth,
      schema: {
        summary: 'The group progress as CSV, one row per member',
        params,
        produces: ['text/csv'],
        response: {
          200: { type: 'string', description: 'text/csv; masked numbers, one row per member' },
          ...errorReplies,
        },
      },
    },
    async (request, reply) => {
      const group = await options.groups.get(request.params.id);
      if (!group) return reply.code(404).send({ error: 'no group has this id' });
      const quizzes = await quizzesOf(group);
      const header = [
        'member',
        'channel',
        'language',
        'opted_out',
        'last_message',
        'lessons_done',
        ...lessons.map((l) => `lesson ${l.id} (right/questions)`),
        'feasibility_percent',
        'feasibility_date',
        ...quizzes.map(
          (q) => `quiz ${q.summary.lesson} ${q.summary.finishedAt.slice(0, 10)} (${q.summary.id})`,
        ),
      ];
      const results = quizzes.map((q) => q.result);
      async function* lines(): AsyncGenerator<string> {
        yield csvLine(header);
        for await (const rows of memberPages(group as Group, results)) {
          yield rows
            .map((m) =>
              csvLine([
                m.member,
                m.channel,
                m.lang ?? '',
                m.optedOut ? 'yes' : 'no',
                m.lastMessageAt,
                String(m.lessonsDone),
                ...lessons.map((l) => {
                  const done = m.lessons[l.id];
                  return done ? `${done.right}/${done.questions}` : '';
                }),
                m.feasibility ? String(m.feasibility.percent) : '',
                m.feasibility?.on ?? '',
                ...results.map((r) => String(m.quizzes[r.id] ?? 0)),
              ]),
            )
            .join('');
        }
      }
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="group-${group.id}-progress.csv"`)
        .send(Readable.from(lines()));
    },
  );
}

/**
 * One CSV line (RFC 4180). A cell that a spreadsheet would read as a formula (=, +, -, @ first,
 * as in a masked +591… number) gets a leading apostrophe, so opening the file runs nothing.
 */
export function csvLine(cells: string[]): string {
  return (
    cells
      .map((cell) => {
        const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
        return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      })
      .join(',') + '\r\n'
  );
}
