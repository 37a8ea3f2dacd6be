/**
 * A group quiz in Redis: the running quiz's id, its record, each question's first answers, the
 * scores, and the finished quizzes' results. The keys (src/store/keyspace.ts) carry the group's
 * `{g:<id>}` hash tag, except each learner's points, kept under the learner's own tag.
 *
 * Learner ids stay in the group's keys only while the quiz runs (its answers). A finished quiz's
 * result holds totals; each member's points go to the member's own key, which BORRAR deletes
 * with the rest of the learner, so nothing in the group names a learner who left for good.
 */
import type { RedisClient } from '../../store/redis-client.js';
import type { Keyspace } from '../../store/keyspace.js';
import { runScript, script } from '../lua.js';
import type { StateValue } from 'xstate';
import type { QuizContext } from './quiz-machine.js';

export interface QuizRecord {
  id: string;
  groupId: string;
  flow: string;
  startedAt: number;
  /** the quiz machine's snapshot */
  snapshot: { value: StateValue; context: QuizContext };
}

export interface QuizResult {
  id: string;
  flow: string;
  finishedAt: number;
  /** learners who answered at least once */
  participants: number;
  /** right answers over answers expected, percent */
  groupScore: number;
  /** learner id -> right answers; stored with each learner (points()), not in the group's results */
  scores: Record<string, number>;
}

/** A finished quiz as the group's results keep it: totals, no learner. */
export type StoredQuizResult = Omit<QuizResult, 'scores'>;

/**
 * KEYS[1] the learner's session, KEYS[2] their quiz points (one slot); ARGV quiz id, points.
 * Only for a learner who still exists: one who sent BORRAR meanwhile gets no new key.
 */
const SAVE_POINTS = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1
`);

export class QuizStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keyspace,
  ) {}

  async current(groupId: string): Promise<string | null> {
    return this.redis.get(this.keys.currentQuiz(groupId));
  }

  /** Starts a quiz unless one already runs; false when one does. */
  async begin(record: QuizRecord): Promise<boolean> {
    const claimed = await this.redis.set(this.keys.currentQuiz(record.groupId), record.id, 'NX');
    if (claimed !== 'OK') return false;
    await this.save(record);
    return true;
  }

  async load(groupId: string, quizId: string): Promise<QuizRecord | null> {
    const raw = await this.redis.get(this.keys.quiz(groupId, quizId));
    return raw ? (JSON.parse(raw) as QuizRecord) : null;
  }

  async save(record: QuizRecord): Promise<void> {
    await this.redis.set(this.keys.quiz(record.groupId, record.id), JSON.stringify(record));
  }

  /** Records a learner's answer to question n; false if they had already answered it. */
  async answer(
    groupId: string,
    quizId: string,
    n: number,
    learner: string,
    option: number,
  ): Promise<boolean> {
    return (
      (await this.redis.hsetnx(this.keys.quizAnswers(groupId, quizId, n), learner, String(option))) === 1
    );
  }

  async answers(groupId: string, quizId: string, n: number): Promise<Map<string, number>> {
    const all = await this.redis.hgetall(this.keys.quizAnswers(groupId, quizId, n));
    return new Map(Object.entries(all).map(([learner, option]) => [learner, Number(option)]));
  }

  async addPoints(groupId: string, quizId: string, learners: string[]): Promise<void> {
    if (!learners.length) return;
    const multi = this.redis.multi();
    for (const learner of learners) multi.hincrby(this.keys.quizScores(groupId, quizId), learner, 1);
    await multi.exec();
  }

  async scores(groupId: string, quizId: string): Promise<Record<string, number>> {
    const all = await this.redis.hgetall(this.keys.quizScores(groupId, quizId));
    return Object.fromEntries(Object.entries(all).map(([learner, points]) => [learner, Number(points)]));
  }

  /**
   * Stores the result (each member's points with the member) and lets the group start another
   * quiz; the answers of its `questions` questions, no longer needed, go.
   */
  async finish(groupId: string, result: QuizResult, questions = 0): Promise<void> {
    const { scores, ...totals } = result;
    await Promise.all(
      Object.entries(scores).map(([learner, points]) =>
        runScript(
          this.redis,
          SAVE_POINTS,
          [this.keys.session(learner), this.keys.learnerQuizPoints(learner)],
          [result.id, points],
        ),
      ),
    );
    const answers = Array.from({ length: questions }, (_, n) => this.keys.quizAnswers(groupId, result.id, n));
    await this.redis
      .multi()
      .lpush(this.keys.quizResults(groupId), JSON.stringify(totals satisfies StoredQuizResult))
      .del(this.keys.currentQuiz(groupId), this.keys.quizScores(groupId, result.id), ...answers)
      .exec();
  }

  async results(groupId: string, count = 20): Promise<StoredQuizResult[]> {
    const raw = await this.redis.lrange(this.keys.quizResults(groupId), 0, count - 1);
    return raw.map((r) => JSON.parse(r) as StoredQuizResult);
  }

  /** A learner's points in each group quiz they took: quiz id -> points. */
  async points(learner: string): Promise<Record<string, number>> {
    const all = await this.redis.hgetall(this.keys.learnerQuizPoints(learner));
    return Object.fromEntries(Object.entries(all).map(([quizId, points]) => [quizId, Number(points)]));
  }

  /** BORRAR: the learner's answers to the quiz running in their group go (their points go with them). */
  async forgetLearner(groupId: string, learner: string): Promise<void> {
    const quizId = await this.current(groupId);
    const record = quizId ? await this.load(groupId, quizId) : null;
    if (!quizId || !record) return;
    const questions = record.snapshot.context.questions.length;
    await Promise.all(
      Array.from({ length: questions }, (_, n) =>
        this.redis.hdel(this.keys.quizAnswers(groupId, quizId, n), learner),
      ),
    );
  }
}
