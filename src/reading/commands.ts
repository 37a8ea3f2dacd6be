/**
 * Commands with an argument, typed as text: `UNIRME <code>` and `SALIR` for group members, and
 * `GRUPO <name>`, `QUIZ <code> <lesson>`, `AVISO <code> <text>` for coordinators. The command
 * words come from locales/<lang>/words.yaml; the argument keeps the sender's own spelling.
 */
import { normalizeJoinCode } from './join-code.js';
import type { Lexicon } from './lexicon.js';
import { matchKey } from './normalize.js';

export type Command =
  | { kind: 'join'; code: string | null }
  | { kind: 'leave' }
  | { kind: 'group'; name: string }
  | { kind: 'quiz'; code: string | null; lesson: string }
  | { kind: 'notice'; code: string | null; text: string };

/** Group names are shown in messages: long ones would cost learners a second SMS segment. */
export const GROUP_NAME_MAX = 40;

export function parseCommand(text: string, lexicon: Lexicon): Command | null {
  const words = lexicon.all.meanings;
  const whole = matchKey(text);
  if (words.leave.has(whole)) return { kind: 'leave' };
  // UNIRME without a code: answered with how to write one.
  if (words.join.has(whole)) return { kind: 'join', code: null };
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  if (space < 0) return null;
  const head = matchKey(trimmed.slice(0, space));
  const rest = trimmed.slice(space).trim();
  if (words.join.has(head)) return { kind: 'join', code: normalizeJoinCode(rest) };
  if (words.group.has(head)) {
    const name = groupName(rest);
    return name ? { kind: 'group', name } : null;
  }
  const [first = '', ...others] = rest.split(/\s+/);
  if (words.quiz.has(head)) return { kind: 'quiz', code: normalizeJoinCode(first), lesson: others.join(' ') };
  if (words.notice.has(head)) {
    return { kind: 'notice', code: normalizeJoinCode(first), text: rest.slice(first.length).trim() };
  }
  return null;
}

/**
 * A group name as shown in messages: printable characters only (no control characters, no
 * noncharacters, no half of an emoji), at most GROUP_NAME_MAX characters.
 */
export function groupName(raw: string): string {
  const printable = Array.from(raw.normalize('NFC'))
    .filter((c) => !/[\p{Cc}\p{Cs}\p{Cf}\uFFFE\uFFFF]/u.test(c))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return Array.from(printable).slice(0, GROUP_NAME_MAX).join('').trim();
}
