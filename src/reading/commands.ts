/**
 * Commands with an argument, typed as text: `UNIRME <code>` and `SALIR` for group members, and
 * `GRUPO <name>`, `QUIZ <code> <lesson>`, `AVISO <code> <text>` for coordinators. The command
 * words come from locales/<lang>/words.yaml; the argument keeps the sender's own spelling.
 */
import { normalizeJoinCode } from './join-code.js';
import type { Lexicon } from './lexicon.js';
import { cleanName } from './names.js';
import { matchKey } from './normalize.js';

export type Command =
  | { kind: 'join'; code: string | null }
  | { kind: 'leave' }
  | { kind: 'group'; name: string }
  | { kind: 'quiz'; code: string | null; lesson: string }
  | { kind: 'notice'; code: string | null; text: string };

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
    const name = cleanName(rest);
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
 * `NOMBRE <name>`: the name for the learner's certificate, cleaned like every name people give
 * (names.ts); '' for NOMBRE alone or a name with nothing printable; null for any other message.
 */
export function parseCertificateName(text: string, lexicon: Lexicon): string | null {
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const head = matchKey(space < 0 ? trimmed : trimmed.slice(0, space));
  if (!lexicon.all.meanings.name.has(head)) return null;
  return space < 0 ? '' : cleanName(trimmed.slice(space));
}
