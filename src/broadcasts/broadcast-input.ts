/**
 * What a client sends to create a broadcast, checked: a target that exists, a Spanish text, times
 * that parse, and a cron with a time between the start and `until`. A request that fails a check
 * is a BroadcastError, which the route answers with its status.
 */
import { getNextMillis } from 'bullmq';
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import type { GroupStore } from '../groups/group-store.js';
import type { OutboundTemplate } from '../messaging/outbound-message.js';
import type { Broadcast, BroadcastTexts, Target } from './broadcast.js';

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
  let repeat: Broadcast['repeat'] = null;
  if (input.repeat) {
    const until = parseTime(input.repeat.until, 'body/repeat/until');
    const cron = input.repeat.cron.trim().replace(/\s+/g, ' ');
    const fields = cron.split(' ').length;
    if (fields < 5 || fields > 6) {
      throw new BroadcastError(
        400,
        'body/repeat/cron must have 5 fields (minute hour day month weekday), or 6 with seconds first',
      );
    }
    if (until <= now) throw new BroadcastError(422, 'body/repeat/until is in the past');
    const first = firstTime(cron, rules.tz, Math.max(now, sendAt ?? 0), until);
    if (first === null) {
      throw new BroadcastError(422, 'body/repeat: the cron has no time between the start and until');
    }
    repeat = { cron, until };
  }
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

/** The first cron time after `from` and not after `until`, or null. Throws a 400 for a bad cron. */
function firstTime(cron: string, tz: string, from: number, until: number): number | null {
  let next: number | undefined;
  try {
    next = getNextMillis(from, { pattern: cron, tz, endDate: until });
  } catch (error) {
    throw new BroadcastError(
      400,
      `body/repeat/cron is not a valid cron expression: ${(error as Error).message}`,
    );
  }
  return next !== undefined && next <= until ? next : null;
}

function parseTime(value: string, where: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BroadcastError(400, `${where} is not a valid ISO 8601 time`);
  return ms;
}
