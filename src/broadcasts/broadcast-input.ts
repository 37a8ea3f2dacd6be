/**
 * What a client sends to create a broadcast, checked: a target that exists, a Spanish text, times
 * that parse, and a cron with a time between the start and `until`. A request that fails a check
 * is a BroadcastError, which the route answers with its status.
 *
 * A repeating broadcast is bounded: at most once an hour (the cron names one minute, and one
 * second if it has seconds) and for at most a year (`until`, which is required, no more than
 * REPEAT_SPAN_DAYS after the first send), so no one can schedule a message a second, forever.
 */
import { getNextMillis } from 'bullmq';
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import type { GroupStore } from '../groups/group-store.js';
import type { OutboundTemplate } from '../messaging/outbound-message.js';
import type { Broadcast, BroadcastTexts, Repeat, Target } from './broadcast.js';

/** What a client sends (after the route's schema has checked its shape). */
export interface BroadcastInput {
  target: Target;
  text: Partial<Record<Language, string>>;
  template?: OutboundTemplate;
  smsFallback?: boolean;
  /** ISO 8601 with an offset */
  sendAt?: string;
  repeat?: { cron: string; until: string };
}

/** A request the service refuses: the route answers `status` with `{error: message}`. */
export class BroadcastError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    message: string,
  ) {
    super(message);
    this.name = 'BroadcastError';
  }
}

/** What the checks look things up in. */
export interface InputRules {
  groups: Pick<GroupStore, 'get'>;
  /** lesson ids, for notFinished */
  lessons: readonly string[];
  /** the time zone crons are read in (America/La_Paz) */
  tz: string;
  /** let crons repeat more often than once an hour: for tests that watch seconds go by */
  allowFastRepeat?: boolean;
}

/** The broadcast's fields that come from the request. */
export type CheckedInput = Omit<Broadcast, 'id' | 'createdAt' | 'targeted' | 'origin'>;

export async function checkInput(
  input: BroadcastInput,
  now: number,
  rules: InputRules,
): Promise<CheckedInput> {
  const target = await checkTarget(input.target, rules);
  const es = input.text.es?.trim();
  if (!es) throw new BroadcastError(400, "body/text is missing the field 'es': Spanish is required");
  const text: BroadcastTexts = { es };
  for (const lang of LANGUAGES) {
    const value = input.text[lang]?.trim();
    if (value) text[lang] = value;
  }
  const sendAt = input.sendAt === undefined ? null : parseTime(input.sendAt, 'body/sendAt');
  const start = Math.max(now, sendAt ?? 0);
  const repeat = input.repeat ? checkRepeat(input.repeat, { now, start }, rules) : null;
  return {
    target,
    text,
    template: input.template ?? null,
    smsFallback: input.smsFallback ?? false,
    sendAt,
    repeat,
    tz: rules.tz,
  };
}

/** How long a broadcast may repeat, from its first send: a year, a leap year included. */
export const REPEAT_SPAN_DAYS = 366;
const REPEAT_SPAN_MS = REPEAT_SPAN_DAYS * 24 * 60 * 60 * 1000;

export const REPEAT_TOO_OFTEN =
  'body/repeat/cron may repeat at most once an hour: give it one minute (and one second), e.g. "0 8 * * 1"';
export const REPEAT_TOO_LONG = `body/repeat/until may be at most ${REPEAT_SPAN_DAYS} days (a year) after the first send`;

/** `start`: the first send can be no earlier (now, or sendAt when later). */
function checkRepeat(
  input: { cron: string; until: string },
  { now, start }: { now: number; start: number },
  rules: Pick<InputRules, 'tz' | 'allowFastRepeat'>,
): Repeat {
  const until = parseTime(input.until, 'body/repeat/until');
  const cron = input.cron.trim().replace(/\s+/g, ' ');
  const fields = cron.split(' ');
  if (fields.length < 5 || fields.length > 6) {
    throw new BroadcastError(
      400,
      'body/repeat/cron must have 5 fields (minute hour day month weekday), or 6 with seconds first',
    );
  }
  // One minute (and one second) per hour at most: a single number in each, nothing else.
  const finest = fields.length === 6 ? fields.slice(0, 2) : fields.slice(0, 1);
  if (!rules.allowFastRepeat && !finest.every((field) => /^\d{1,2}$/.test(field))) {
    throw new BroadcastError(400, REPEAT_TOO_OFTEN);
  }
  const first = firstTime(cron, rules.tz, start);
  if (until <= now) throw new BroadcastError(422, 'body/repeat/until is in the past');
  if (until - start > REPEAT_SPAN_MS) throw new BroadcastError(400, REPEAT_TOO_LONG);
  if (first === undefined || first > until) {
    throw new BroadcastError(422, 'body/repeat: the cron has no time between the start and until');
  }
  return { cron, until };
}

async function checkTarget(target: Target, rules: InputRules): Promise<Target> {
  if ('groups' in target) {
    const groups = [...new Set(target.groups)];
    for (const id of groups) {
      if (!(await rules.groups.get(id))) throw new BroadcastError(422, `no group has the id ${id}`);
    }
    return { groups };
  }
  if ('notFinished' in target && !rules.lessons.includes(target.notFinished)) {
    throw new BroadcastError(422, `no lesson has the id ${target.notFinished}: see GET /api/lessons`);
  }
  return target;
}

/** Languages without their own text: they get the Spanish one. */
export function fallbacksOf(text: BroadcastTexts): Language[] {
  return LANGUAGES.filter((lang) => !text[lang]);
}

/** The first cron time after `from` (undefined if none). Throws a 400 for a bad cron. */
function firstTime(cron: string, tz: string, from: number): number | undefined {
  try {
    return getNextMillis(from, { pattern: cron, tz });
  } catch (error) {
    throw new BroadcastError(
      400,
      `body/repeat/cron is not a valid cron expression: ${(error as Error).message}`,
    );
  }
}

function parseTime(value: string, where: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BroadcastError(400, `${where} is not a valid ISO 8601 time`);
  return ms;
}
