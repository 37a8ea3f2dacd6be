/**
 * A group quiz in Redis. All keys of one group carry its `{g:<id>}` hash tag:
 *   …{g:<id>}:quiz          the running quiz's id (absent when none runs)
 *   …{g:<id>}:quiz:<qid>    the quiz: machine snapshot, lesson, who was asked
 *   …{g:<id>}:quiz:<qid>:a:<n>   hash: learner -> option, first answer only (HSETNX)
 *   …{g:<id>}:quiz:<qid>:score   hash: learner -> right answers
 *   …{g:<id>}:quizzes       list of finished quizzes' results, newest first
 */
import type { Redis } from 'ioredis';
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
    private readonly prefix: string,
  ) {}

  private base(groupId: string): string {
    return `${this.prefix}{g:${groupId}}:quiz`;
  }

  async current(groupId: string): Promise<string | null> {
    return this.redis.get(this.base(groupId));
  }

  /** Starts a quiz unless one already runs; false when one does. */
  async begin(record: QuizRecord): Promise<boolean> {
    const claimed = await this.redis.set(this.base(record.groupId), record.id, 'NX');
    if (claimed !== 'OK') return false;
    await this.save(record);
    return true;
  }

  async load(groupId: string, quizId: string): Promise<QuizRecord | null> {
    const raw = await this.redis.get(`${this.base(groupId)}:${quizId}`);
    return raw ? (JSON.parse(raw) as QuizRecord) : null;
  }

  async save(record: QuizRecord): Promise<void> {
    await this.redis.set(`${this.base(record.groupId)}:${record.id}`, JSON.stringify(record));
  }

  /** Records a learner's answer to question n; false if they had already answered it. */
  async answer(
    groupId: string,
    quizId: string,
    n: number,
    learner: string,
    option: number,
  ): Promise<boolean> {
    return (await this.redis.hsetnx(`${this.base(groupId)}:${quizId}:a:${n}`, learner, String(option))) === 1;
  }

  async answers(groupId: string, quizId: string, n: number): Promise<Map<string, number>> {
    const all = await this.redis.hgetall(`${this.base(groupId)}:${quizId}:a:${n}`);
    return new Map(Object.entries(all).map(([learner, option]) => [learner, Number(option)]));
  }

  async addPoints(groupId: string, quizId: string, learners: string[]): Promise<void> {
    if (!learners.length) return;
    const multi = this.redis.multi();
    for (const learner of learners) multi.hincrby(`${this.base(groupId)}:${quizId}:score`, learner, 1);
    await multi.exec();
  }

  async scores(groupId: string, quizId: string): Promise<Record<string, number>> {
    const all = await this.redis.hgetall(`${this.base(groupId)}:${quizId}:score`);
    return Object.fromEntries(Object.entries(all).map(([learner, points]) => [learner, Number(points)]));
  }

  /** Stores the result and lets the group start another quiz. */
  async finish(groupId: string, result: QuizResult): Promise<void> {
    await this.redis
      .multi()
      .lpush(`${this.prefix}{g:${groupId}}:quizzes`, JSON.stringify(result))
      .del(this.base(groupId))
      .exec();
  }

  async results(groupId: string, count = 20): Promise<QuizResult[]> {
    const raw = await this.redis.lrange(`${this.prefix}{g:${groupId}}:quizzes`, 0, count - 1);
    return raw.map((r) => JSON.parse(r) as QuizResult);
  }
}
