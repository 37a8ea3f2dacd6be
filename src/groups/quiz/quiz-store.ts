/**
 * A group quiz in Redis: the running quiz's id, its record, each question's first answers, the
 * scores, and the finished quizzes' results. The keys (src/store/keyspace.ts) all carry the
 * group's `{g:<id>}` hash tag.
 */
import type { Redis } from 'ioredis';
import type { Keyspace } from '../../store/keyspace.js';
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
  /** learner id -> right answers */
  scores: Record<string, number>;
}

export class QuizStore {
  constructor(
    private readonly redis: Redis,
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

  /** Stores the result and lets the group start another quiz. */
  async finish(groupId: string, result: QuizResult): Promise<void> {
    await this.redis
      .multi()
      .lpush(this.keys.quizResults(groupId), JSON.stringify(result))
      .del(this.keys.currentQuiz(groupId))
      .exec();
  }

  async results(groupId: string, count = 20): Promise<QuizResult[]> {
    const raw = await this.redis.lrange(this.keys.quizResults(groupId), 0, count - 1);
    return raw.map((r) => JSON.parse(r) as QuizResult);
  }
}
