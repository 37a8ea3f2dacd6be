/**
 * The reminder form as it was filled in (a draft, shown again when something needs fixing), and
 * the broadcast it asks for: one text per language, who gets it, and when.
 */
import type { BroadcastInput } from '../../../../broadcasts/broadcast-service.js';
import { LANGUAGES, type Language } from '../../../../content/locale-schema.js';
import { many, one } from '../../ui/form.js';
import { isoToLocal, localToIso } from '../../ui/time.js';

export type TargetKind = 'groups' | 'all' | 'locale' | 'notFinished' | 'inactiveDays';
const KINDS: TargetKind[] = ['groups', 'all', 'locale', 'notFinished', 'inactiveDays'];

export interface Draft {
  text: Record<Language, string>;
  target: TargetKind;
  groups: string[];
  locale: string;
  notFinished: string;
  inactiveDays: string;
  when: 'now' | 'at' | 'weekly';
  at: string;
  day: string;
  time: string;
  until: string;
  smsFallback: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** A new form: to `groupId` if given, now, or tomorrow at 10:00, or weekly for 30 days. */
export function emptyDraft(groupId: string | undefined, now: number, tz: string): Draft {
  return {
    text: { es: '', ay: '', qu: '' },
    target: 'groups',
    groups: groupId ? [groupId] : [],
    locale: 'es',
    notFinished: '',
    inactiveDays: '7',
    when: 'now',
    at: isoToLocal(now + DAY_MS, tz).slice(0, 11) + '10:00',
    day: '1',
    time: '10:00',
    until: isoToLocal(now + 30 * DAY_MS, tz).slice(0, 10),
    smsFallback: true,
  };
}

export function draftOf(body: Record<string, unknown>): Draft {
  const target = one(body.target) as TargetKind;
  const when = one(body.when);
  return {
    text: { es: one(body.text_es), ay: one(body.text_ay), qu: one(body.text_qu) },
    target: KINDS.includes(target) ? target : 'groups',
    groups: many(body.groups),
    locale: one(body.locale),
    notFinished: one(body.notFinished),
    inactiveDays: one(body.inactiveDays),
    when: when === 'at' || when === 'weekly' ? when : 'now',
    at: one(body.at),
    day: one(body.day),
    time: one(body.time),
    until: one(body.until),
    smsFallback: one(body.smsFallback) === 'on',
  };
}

/** The broadcast a draft asks for, or a message saying what to fix. */
export function inputOf(draft: Draft, admin: boolean, tz: string, now: number): BroadcastInput | string {
  const text: Partial<Record<Language, string>> = {};
  for (const lang of LANGUAGES) if (draft.text[lang].trim()) text[lang] = draft.text[lang].trim();
  if (!text.es) return 'Escriba el aviso en español: es obligatorio y se envía a quien no tenga su idioma.';
  const target = targetOf(draft, admin);
  if (typeof target === 'string') return target;
  const input: BroadcastInput = { target, text, smsFallback: draft.smsFallback };
  const when = whenOf(draft, tz, now);
  if (typeof when === 'string') return when;
  return { ...input, ...when };
}

/** A coordinator's reminder goes to groups whatever the form says. */
function targetOf(draft: Draft, admin: boolean): BroadcastInput['target'] | string {
  const kind = admin ? draft.target : 'groups';
  if (kind === 'groups') {
    if (!draft.groups.length) return 'Marque al menos un grupo.';
    return { groups: draft.groups.slice(0, 100) };
  }
  if (kind === 'all') return { all: true };
  if (kind === 'locale') {
    if (!LANGUAGES.includes(draft.locale as Language)) return 'Elija un idioma.';
    return { locale: draft.locale as Language };
  }
  if (kind === 'notFinished') {
    if (!draft.notFinished) return 'Elija una lección.';
    return { notFinished: draft.notFinished };
  }
  const days = Number(draft.inactiveDays);
  if (!Number.isInteger(days) || days < 1 || days > 3650) return 'Los días sin escribir van de 1 a 3650.';
  return { inactiveDays: days };
}

/** Now (nothing), at a time (`sendAt`), or weekly until a date (`repeat`, a cron in `tz`). */
function whenOf(draft: Draft, tz: string, now: number): Pick<BroadcastInput, 'sendAt' | 'repeat'> | string {
  if (draft.when === 'at') {
    const sendAt = localToIso(draft.at, tz);
    if (!sendAt) return 'Elija la fecha y la hora del envío.';
    if (Date.parse(sendAt) < now - 60_000) return 'Esa fecha y hora ya pasaron.';
    return { sendAt };
  }
  if (draft.when === 'weekly') {
    const day = Number(draft.day);
    const time = /^(\d{2}):(\d{2})$/.exec(draft.time);
    const until = /^\d{4}-\d{2}-\d{2}$/.test(draft.until) ? localToIso(`${draft.until}T23:59`, tz) : null;
    if (!Number.isInteger(day) || day < 0 || day > 6 || !time)
      return 'Elija el día y la hora de cada semana.';
    if (!until || Date.parse(until) <= now) return 'Elija hasta qué fecha se repite (una fecha futura).';
    return { repeat: { cron: `${Number(time[2])} ${Number(time[1])} * * ${day}`, until } };
  }
  return {};
}
