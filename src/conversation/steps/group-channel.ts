import { parseCommand } from '../../reading/commands.js';
import type { StepDeps } from '../deps.js';
import type { Next, Turn } from '../turn.js';

type Deps = Pick<StepDeps, 'quizzes' | 'desk' | 'lexicon' | 'snapshots'>;

/**
 * A message for the learner's group rather than their lesson: while their group runs a quiz, a
 * text is read as a quiz answer first; otherwise a group command (join, leave, start a quiz…)
 * goes to the group desk. A keyword is neither, nor a tapped button: a quiz question has no
 * buttons, so a tap answers the learner's own lesson (src/conversation/steps/stale-tap.ts).
 */
export async function groupChannel(turn: Turn, deps: Deps): Promise<Next | null> {
  const { learner, record, group, keyword, lang, message } = turn;
  const quizReply =
    !keyword && message.tappedOn === undefined && record && group && deps.quizzes
      ? await deps.quizzes.answer(learner, message.body, lang, group)
      : null;
  const command = keyword || quizReply ? null : parseCommand(message.body, deps.lexicon);
  const answer = quizReply
    ? { replies: quizReply }
    : command
      ? await deps.desk.handle(command, turn.who)
      : null;
  if (!answer) return null;
  return { ...deps.snapshots.afterDesk(record, answer, lang), optedOut: turn.optedOut, completions: [] };
}
