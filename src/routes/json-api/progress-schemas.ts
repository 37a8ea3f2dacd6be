/** The JSON contract of a group's progress, served by the admin API and the console's JSON API. */
import { errorReplies, groupId } from './schemas.js';

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

export const progressParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: groupId },
} as const;

export const progressReply = {
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
} as const;

export const progressReplies = { 200: progressReply, ...errorReplies } as const;

export const progressCsvReplies = {
  200: { type: 'string', description: 'text/csv; masked numbers, one row per member' },
  ...errorReplies,
} as const;

/** The CSV file's name in the browser's download. */
export function progressCsvName(groupId: string): string {
  return `attachment; filename="group-${groupId}-progress.csv"`;
}
