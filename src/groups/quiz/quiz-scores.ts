/**
 * The end of a quiz in numbers, counted from the stored answers (never from running totals, so
 * counting twice gives the same result): each member's points, who took part, the group's score
 * in percent, the ranking and the top three as the leaderboard shows them.
 */

export interface QuestionAnswers {
  /** the right option */
  answer: number;
  /** learner id -> the option they chose */
  answers: Map<string, number>;
}

export interface QuizScores {
  /** learner id -> points */
  scores: Record<string, number>;
  participants: Set<string>;
  groupScore: number;
  /** every member with their points, best first */
  ranking: { learner: string; points: number }[];
  /** the leaderboard's first three lines: `1. …567 (3)` */
  top: string;
}

interface ScoredMember {
  learner: string;
  address: string;
  active: boolean;
}

const tail = (phoneOrAddress: string) => `…${phoneOrAddress.slice(-3)}`;

export function scoreQuiz(questions: QuestionAnswers[], members: ScoredMember[]): QuizScores {
  const scores: Record<string, number> = {};
  const participants = new Set<string>();
  for (const step of questions) {
    for (const [learner, option] of step.answers) {
      participants.add(learner);
      scores[learner] = (scores[learner] ?? 0) + (option === step.answer ? 1 : 0);
    }
  }
  const active = members.filter((m) => m.active);
  const possible = Math.max(1, active.length * questions.length);
  const groupScore = Math.round((100 * Object.values(scores).reduce((a, b) => a + b, 0)) / possible);
  const ranking = members
    .map((m) => ({ ...m, points: scores[m.learner] ?? 0 }))
    .sort((a, b) => b.points - a.points || a.learner.localeCompare(b.learner));
  const top = ranking
    .slice(0, 3)
    .map((m, i) => `${i + 1}. ${tail(m.address)} (${m.points})`)
    .join('\n');
  return { scores, participants, groupScore, ranking, top };
}
