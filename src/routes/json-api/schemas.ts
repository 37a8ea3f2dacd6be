/** JSON schema pieces shared by the JSON APIs: the admin API (/api) and the console's (/console/api). */
import { E164_PATTERN } from '../../groups/coordinator-store.js';
import { GROUP_ID_PATTERN } from '../../groups/group-store.js';
import { JOIN_CODE_PATTERN } from '../../reading/join-code.js';
import { NAME_MAX } from '../../reading/names.js';
import { LANGUAGES } from '../../content/locale-schema.js';

/** A coordinator's registration or a group's body is a few hundred bytes. */
export const ADMIN_BODY_LIMIT = 16 * 1024;

export const e164 = {
  type: 'string',
  pattern: E164_PATTERN,
  description: 'E.164, e.g. +59171234567',
} as const;
/** A group's or a coordinator's name; the route then cleans it with cleanName (reading/names.ts). */
export const displayName = { type: 'string', minLength: 1, maxLength: NAME_MAX, pattern: '\\S' } as const;

/** What a route answers when a name is nothing but invisible or control characters. */
export const UNPRINTABLE_NAME = 'body/name has no printable characters';
export const language = { type: 'string', enum: [...LANGUAGES] } as const;
export const groupId = { type: 'string', pattern: GROUP_ID_PATTERN } as const;
export const joinCode = { type: 'string', pattern: JOIN_CODE_PATTERN } as const;

export const errorReply = {
  type: 'object',
  properties: { error: { type: 'string' } },
  required: ['error'],
} as const;

/** Every admin route answers errors as `{error}`: auth (401), input (400, 413, 415), lookups. */
export const errorReplies = { '4xx': errorReply, '5xx': errorReply } as const;
