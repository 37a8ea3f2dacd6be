/**
 * Where the right answer sits across the course's quiz questions. A course whose right answer is
 * mostly option 2 teaches guessing "2", so the content check reports the distribution and fails
 * when one position holds more than MAX_SHARE of the answers. With fewer than MIN_QUESTIONS
 * questions a share means little, so a small course is only reported, never failed.
 */
import type { ContentProblem } from '../content/load-content.js';
import type { Flow } from '../content/flow-schema.js';

export const MAX_SHARE = 0.45;
export const MIN_QUESTIONS = 10;

export interface AnswerPositions {
  /** how many questions have their right answer at each position (1-based) */
  counts: Record<number, number>;
  total: number;
}

export function answerPositions(flows: Iterable<Flow>): AnswerPositions {
  const counts: Record<number, number> = {};
  let total = 0;
  for (const flow of flows) {
    for (const step of flow.steps) {
      if (step.type !== 'question') continue;
      counts[step.answer] = (counts[step.answer] ?? 0) + 1;
      total += 1;
    }
  }
  return { counts, total };
}

/** "1: 13 (34%), 2: 13 (34%), 3: 12 (32%)" */
export function describePositions({ counts, total }: AnswerPositions): string {
  return Object.entries(counts)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([position, n]) => `${position}: ${n} (${Math.round((100 * n) / total)}%)`)
    .join(', ');
}

export function checkQuizBalance(positions: AnswerPositions): ContentProblem[] {
  if (positions.total < MIN_QUESTIONS) return [];
  const over = Object.entries(positions.counts).filter(([, n]) => n / positions.total > MAX_SHARE);
  return over.map(([position, n]) => ({
    file: 'flows/lessons',
    key: `answer position ${position}`,
    message: `the right answer is option ${position} in ${n} of ${positions.total} questions, more than ${MAX_SHARE * 100}% (${describePositions(positions)}); move some answers to other positions`,
  }));
}
