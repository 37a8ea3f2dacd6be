/**
 * Group quizzes: each question's first answers and the scores (hashes by learner id), and the
 * finished quizzes' results. Before, a result held each member's points by learner id; now the
 * group keeps only totals and each member's points are the member's own ({<learner>}:quizpoints,
 * src/groups/quiz/quiz-store.ts). A result's points move to their members under the rekeyed ids;
 * those of an id no kept number explains (someone who erased their data) are dropped: the
 * result's totals still count them.
 */
import type { QuizResult } from '../../groups/quiz/quiz-store.js';
import { eachKey, isTombstone, rekeyFields, type Migration } from './migration.js';
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
      const { scores, ...totals } = JSON.parse(raw) as Partial<QuizResult> & Omit<QuizResult, 'scores'>;
      if (!scores) continue;
      for (const [id, points] of Object.entries(scores)) {
        const learner = m.map.rekey(id) ?? id;
        if (isTombstone(learner)) continue;
        // HSET again after a crash writes the same: idempotent.
        await m.redis.hset(keys.learnerQuizPoints(learner), totals.id, points);
      }
      // One key; its index holds still while no app process finishes a quiz (they are stopped).
      await m.redis.lset(key, index, JSON.stringify(totals));
      m.count('quiz results: points moved to their members');
    }
  });
}
