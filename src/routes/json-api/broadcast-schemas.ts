/**
 * The JSON contract of broadcasts: the body that creates one, and the answers (created, status).
 * Served by the admin API (/api/broadcasts) and the console's JSON API (/console/api/broadcasts).
 */
import { errorReplies, groupId, language } from './schemas.js';

/** Three texts of at most 1,600 characters (Twilio's limit) and a template fit well inside. */
export const BROADCAST_BODY_LIMIT = 32 * 1024;

const ISO_TIME = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';
const isoTime = {
  type: 'string',
  pattern: ISO_TIME,
  description: 'ISO 8601 with an offset, e.g. 2026-03-02T08:00:00-04:00',
} as const;
const message = { type: 'string', minLength: 1, maxLength: 1600, pattern: '\\S' } as const;
const broadcastId = { type: 'string', pattern: '^[0-9a-z]{12}$' } as const;
const nullableTime = { type: ['string', 'null'], description: 'ISO 8601' } as const;
const count = { type: 'integer', minimum: 0 } as const;
const counts = {
  type: 'object',
  required: ['targeted', 'queued', 'sent', 'delivered', 'failed', 'skipped'],
  properties: {
    targeted: { ...count, description: 'learners the target picked, opted-out and deleted included' },
    queued: { ...count, description: 'handed to the outbound sender' },
    sent: { ...count, description: 'accepted by Twilio' },
    delivered: { ...count, description: 'confirmed delivered by a status callback' },
    failed: { ...count, description: 'given up on, refused, or reported failed or undelivered' },
    skipped: { ...count, description: 'not sent: see skippedReasons' },
  },
} as const;
const reasons = { type: 'object', additionalProperties: { type: 'integer' } } as const;
const state = { type: 'string', enum: ['scheduled', 'sending', 'repeating', 'done', 'cancelled'] } as const;

export const createBody = {
  type: 'object',
  required: ['target', 'text'],
  additionalProperties: false,
  properties: {
    target: {
      type: 'object',
      description: 'exactly one of groups, all, locale, notFinished, inactiveDays',
      minProperties: 1,
      maxProperties: 1,
      additionalProperties: false,
      properties: {
        groups: { type: 'array', minItems: 1, maxItems: 100, items: groupId },
        all: { type: 'boolean', const: true },
        locale: language,
        notFinished: { type: 'string', minLength: 1, maxLength: 80, description: 'a lesson id' },
        inactiveDays: { type: 'integer', minimum: 1, maximum: 3650 },
      },
    },
    text: {
      type: 'object',
      description: 'per language; Spanish is required and stands in for a missing language',
      required: ['es'],
      additionalProperties: false,
      properties: { es: message, ay: message, qu: message },
    },
    template: {
      type: 'object',
      description: 'an approved WhatsApp template, for learners outside the 24-hour window',
      required: ['contentSid'],
      additionalProperties: false,
      properties: {
        contentSid: { type: 'string', pattern: '^HX[0-9a-fA-F]{32}$' },
        variables: {
          type: 'object',
          maxProperties: 20,
          propertyNames: { pattern: '^[A-Za-z0-9_]{1,20}$' },
          additionalProperties: { type: 'string', maxLength: 500 },
        },
      },
    },
    smsFallback: {
      type: 'boolean',
      description: 'WhatsApp outside the window without a template: send by SMS instead of skipping',
    },
    sendAt: isoTime,
    repeat: {
      type: 'object',
      description: 'a cron in America/La_Paz time (5 fields, or 6 with seconds first), until a time',
      required: ['cron', 'until'],
      additionalProperties: false,
      properties: {
        cron: { type: 'string', minLength: 1, maxLength: 100, description: 'e.g. "0 8 * * 1"' },
        until: isoTime,
      },
    },
  },
} as const;

export const statusReply = {
  type: 'object',
  required: ['id', 'state', 'counts', 'skippedReasons'],
  properties: {
    id: broadcastId,
    state,
    counts,
    skippedReasons: reasons,
    failedReasons: reasons,
    target: { type: 'object', additionalProperties: true },
    languages: { type: 'array', items: language, description: 'languages with their own text' },
    origin: { type: 'string' },
    createdAt: { type: 'string' },
    sendAt: nullableTime,
    repeat: {
      type: ['object', 'null'],
      properties: { cron: { type: 'string' }, until: { type: 'string' }, tz: { type: 'string' } },
    },
    nextAt: nullableTime,
    occurrences: {
      type: 'array',
      description: 'the newest occurrences (a repeating broadcast has one per cron time)',
      items: {
        type: 'object',
        properties: {
          occurrence: { type: 'string' },
          startedAt: { type: 'string' },
          fannedOut: { type: 'boolean' },
          pending: count,
          counts,
        },
      },
    },
  },
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: broadcastId },
} as const;

export const idempotencyHeaders = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'a retried request with the same key answers the same broadcast',
    },
  },
} as const;

export const createdReplies = {
  201: {
    type: 'object',
    required: ['id', 'targeted', 'state', 'fallbacks'],
    properties: {
      id: broadcastId,
      targeted: { ...count, description: 'learners the target picks now' },
      state,
      fallbacks: {
        type: 'array',
        items: language,
        description: 'languages without their own text, which get the Spanish one',
      },
      notes: { type: 'array', items: { type: 'string' } },
      nextAt: nullableTime,
      replayed: {
        type: 'boolean',
        description: 'true when the Idempotency-Key named an earlier one',
      },
    },
  },
  ...errorReplies,
} as const;

export const statusReplies = { 200: statusReply, ...errorReplies } as const;
