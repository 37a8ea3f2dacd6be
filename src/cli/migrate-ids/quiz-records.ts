/**
 * Group quizzes: each question's first answers and the scores (hashes by learner id), and the
 * finished quizzes' results (JSON with scores by learner id). An id no kept number explains
 * becomes a tombstone here, so that old results keep their counts.
 */
import type { QuizResult } from '../../groups/quiz/quiz-store.js';
import { eachKey, rekeyFields, type Migration } from './migration.js';
import { PART } from './redis-keys.js';

export async function rekeyQuizRecords(m: Migration): Promise<void> {
  const { keys } = m;
  // The keyspace writes the question number with `${n}`: a PART stands for it as well.
  const answers = keys.quizAnswers(PART, PART, PART as unknown as number);
  await eachKey(m, answers, async (key) => m.count('quiz answers: ids rekeyed', await rekeyFields(m, key)));
  await eachKey(m, keys.quizScores(PART, PART), async (key) =>
    m.count('quiz scores: ids rekeyed', await rekeyFields(m, key)),
  );
  await eachKey(m, keys.quizResults(PART), async (key) => {
    const results = await m.redis.lrange(key, 0, -1);
    for (const [index, raw] of results.entries()) {
      const result = JSON.parse(raw) as QuizResult;
      const scores = rekeyObject(m, result.scores);
      if (!scores) continue;
      // One key; its index holds still while no app process finishes a quiz (they are stopped).
      await m.redis.lset(key, index, JSON.stringify({ ...result, scores }));
      m.count('quiz results: rewritten');
    }
  });
}

/** The object with its id keys rekeyed, or null when none changes. */
function rekeyObject(m: Migration, byId: Record<string, number>): Record<string, number> | null {
  let changed = false;
  const out: Record<string, number> = {};
  for (const [id, value] of Object.entries(byId)) {
    const to = m.map.rekey(id);
    if (to) changed = true;
    out[to ?? id] = value;
  }
  return changed ? out : null;
}
