/**
 * A group's progress, for its coordinator. Per member: the number masked, lessons done with right
 * answers per lesson (from the learner's own progress), the feasibility check's result, and points
 * in each of the group's quizzes. The admin API (JSON and CSV) and the console's pages read it.
 * Members are read a page at a time, so a CSV can be streamed as it is read.
 */
import type { Course } from '../flows/course.js';
import { qualifyKey } from '../flows/course.js';
import type { Translator } from '../i18n/translator.js';
import { maskPhone, parseAddress } from '../privacy/phone.js';
import type { SessionRecord, SessionStore } from '../store/session-store.js';
import type { Group, GroupStore } from './group-store.js';
import type { QuizStore, StoredQuizResult } from './quiz/quiz-store.js';

export interface LessonSummary {
  id: string;
  /** in Spanish */
  title: string;
  questions: number;
  steps: number;
}

export interface QuizSummary {
  id: string;
  lesson: string;
  finishedAt: string;
  participants: number;
  /** percent */
  groupScore: number;
  questions: number;
}

/** One member's row of the report (the console draws its timeline from it). */
export interface MemberProgress {
  member: string;
  channel: 'sms' | 'whatsapp';
  lang: string | null;
  optedOut: boolean;
  lastMessageAt: string;
  lessonsDone: number;
  lessons: Record<string, { right: number; questions: number }>;
  /** lessons started and not finished: the step the member stands on (from 1) and the steps */
  inProgress: Record<string, { step: number; steps: number }>;
  feasibility: { percent: number; on: string; areas: Record<string, number> } | null;
  quizzes: Record<string, number>;
}

export interface ProgressReport {
  group: { id: string; name: string; members: number };
  lessons: LessonSummary[];
  /** the group's finished quizzes, newest first */
  quizzes: QuizSummary[];
  members: MemberProgress[];
}

/** The group's finished quizzes: as stored (totals; each member's points are the member's) and as summarised. */
export interface GroupQuizzes {
  results: StoredQuizResult[];
  summaries: QuizSummary[];
}

export interface ProgressSources {
  groups: Pick<GroupStore, 'members' | 'count'>;
  sessions: Pick<SessionStore, 'loadMany'>;
  quizzes: Pick<QuizStore, 'results' | 'points'>;
  course: Pick<Course, 'lessons'>;
  translator: Pick<Translator, 't'>;
}

export class ProgressReports {
  /** every lesson of the course, in order */
  readonly lessons: LessonSummary[];

  constructor(private readonly sources: ProgressSources) {
    this.lessons = sources.course.lessons.map((lesson) => ({
      id: lesson.id,
      title: sources.translator.t('es', qualifyKey(lesson.id, lesson.title)),
      questions: lesson.steps.filter((s) => s.type === 'question').length,
      steps: lesson.steps.length,
    }));
  }

  async quizzes(group: Group): Promise<GroupQuizzes> {
    const results = await this.sources.quizzes.results(group.id);
    const summaries = results.map((result) => ({
      id: result.id,
      lesson: result.flow,
      finishedAt: new Date(result.finishedAt).toISOString(),
      participants: result.participants,
      groupScore: result.groupScore,
      questions: this.lessons.find((l) => l.id === result.flow)?.questions ?? 0,
    }));
    return { results, summaries };
  }

  /** Members a page at a time, with their progress; members who deleted their data are left out. */
  async *memberPages(group: Group, results: StoredQuizResult[]): AsyncGenerator<MemberProgress[]> {
    for await (const ids of this.sources.groups.members(group.id)) {
      const sessions = await this.sources.sessions.loadMany(ids);
      const points = await Promise.all(ids.map((learner) => this.sources.quizzes.points(learner)));
      const rows: MemberProgress[] = [];
      ids.forEach((_learner, i) => {
        const row = this.memberRow(sessions[i] ?? null, points[i] ?? {}, results);
        if (row) rows.push(row);
      });
      if (rows.length) yield rows;
    }
  }

  /** The whole report at once. */
  async report(group: Group): Promise<ProgressReport> {
    const quizzes = await this.quizzes(group);
    const members: MemberProgress[] = [];
    for await (const rows of this.memberPages(group, quizzes.results)) members.push(...rows);
    return {
      group: { id: group.id, name: group.name, members: await this.sources.groups.count(group.id) },
      lessons: this.lessons,
      quizzes: quizzes.summaries,
      members,
    };
  }

  /** Lessons with a bookmark (started, not finished) that the member has not finished before. */
  private inProgress(
    marks: Record<string, { i: number }>,
    done: Record<string, unknown>,
  ): MemberProgress['inProgress'] {
    const started: MemberProgress['inProgress'] = {};
    for (const [id, mark] of Object.entries(marks)) {
      const lesson = this.lessons.find((l) => l.id === id);
      if (lesson && !done[id]) started[id] = { step: mark.i + 1, steps: lesson.steps };
    }
    return started;
  }

  /** `points`: the member's points in each quiz they took, by quiz id. */
  private memberRow(
    session: SessionRecord | null,
    points: Record<string, number>,
    results: StoredQuizResult[],
  ): MemberProgress | null {
    const address = session && parseAddress(session.address);
    if (!session || !address) return null;
    const context = session.snapshot.context;
    const done = Object.fromEntries(
      Object.entries(context.done ?? {})
        .filter(([id]) => this.lessons.some((l) => l.id === id))
        .map(([id, [right, questions]]) => [id, { right, questions }]),
    );
    const areas = context.feasibility?.areas ?? {};
    const values = Object.values(areas);
    return {
      member: maskPhone(address.phone),
      channel: address.channel,
      lang: context.lang,
      optedOut: session.optedOut,
      lastMessageAt: new Date(session.lastInboundAt).toISOString(),
      lessonsDone: Object.keys(done).length,
      lessons: done,
      inProgress: this.inProgress(context.marks ?? {}, done),
      feasibility: context.feasibility
        ? {
            percent: values.length ? Math.round(values.reduce((a, b) => a + b, 0) / values.length) : 0,
            on: context.feasibility.on,
            areas,
          }
        : null,
      quizzes: Object.fromEntries(results.map((r) => [r.id, points[r.id] ?? 0])),
    };
  }
}
