import { parseSuggestion } from '../../reading/suggestion.js';
import type { StepDeps } from '../deps.js';
import { sayText } from '../said.js';
import type { Next, Turn } from '../turn.js';

type Deps = Pick<StepDeps, 'suggestions' | 'lexicon' | 'snapshots' | 'timeZone'>;

/**
 * `CORREGIR <how they would say it>`: records the learner's suggestion for the text they last
 * received (in the language they received it in), thanks them, and leaves them where they were:
 * their next answer still answers the step they are on.
 */
export async function suggestion(turn: Turn, deps: Deps): Promise<Next | null> {
  const { record, keyword, lang } = turn;
  if (keyword || !record || !deps.suggestions) return null;
  const text = parseSuggestion(turn.message.body, deps.lexicon);
  if (text === null) return null;
  const target = record.lastText;
  let answer = 'suggest_how';
  if (text && !target) answer = 'suggest_nothing';
  if (text && target) {
    const day = dayIn(turn.now, deps.timeZone);
    // A console test chat sees the learner's answer, but reviewers get no suggestion from it.
    const outcome = turn.message.rehearsal
      ? 'recorded'
      : await deps.suggestions.record(turn.learner, { ...target, textKey: target.key, text, day });
    answer = outcome === 'capped' ? 'suggest_capped' : 'suggest_thanks';
  }
  return {
    snapshot: deps.snapshots.restore(record).snapshot,
    said: [sayText(lang, answer)],
    optedOut: turn.optedOut,
    completions: [],
    keepsLastText: true,
  };
}

/** YYYY-MM-DD in the learners' time zone (en-CA writes dates so). */
function dayIn(now: number, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(now));
}
