/** The figures of a group's three progress charts, as rows: the charts and their CSV files are drawn from these. */
import type { ProgressReport } from '../../../../groups/progress-report.js';

export type Table = { header: string[]; rows: (string | number)[][] };

export const CHARTS = ['lessons', 'scores', 'feasibility'] as const;
export type ChartName = (typeof CHARTS)[number];

export interface Area {
  id: string;
  /** in Spanish */
  label: string;
}

export function chartTables(report: ProgressReport, areas: Area[]): Record<ChartName, Table> {
  return {
    lessons: lessonsTable(report),
    scores: scoresTable(report),
    feasibility: feasibilityTable(report, areas),
  };
}

/** How many finished each lesson, and how many started it and have not finished it. */
function lessonsTable({ lessons, members }: ProgressReport): Table {
  return {
    header: ['lesson', 'title', 'finished', 'members', 'started_not_finished'],
    rows: lessons.map((l) => [
      l.id,
      l.title,
      members.filter((m) => m.lessons[l.id]).length,
      members.length,
      members.filter((m) => m.inProgress[l.id]).length,
    ]),
  };
}

/** The share of right answers at the first try, per lesson, among those who finished it. */
function scoresTable({ lessons, members }: ProgressReport): Table {
  return {
    header: ['lesson', 'title', 'right_first_try', 'questions_answered', 'percent', 'members_finished'],
    rows: lessons.map((l) => {
      const done = members.map((m) => m.lessons[l.id]).filter((d) => d !== undefined);
      const right = done.reduce((sum, d) => sum + d.right, 0);
      const asked = done.reduce((sum, d) => sum + d.questions, 0);
      return [l.id, l.title, right, asked, asked ? Math.round((right / asked) * 100) : '', done.length];
    }),
  };
}

/** The feasibility check's average per area, among those who took it. */
function feasibilityTable({ members }: ProgressReport, areas: Area[]): Table {
  const took = members.filter((m) => m.feasibility);
  return {
    header: ['area', 'label', 'average_percent', 'members_who_took_it'],
    rows: areas.map((a) => {
      const values = took
        .map((m) => m.feasibility?.areas[a.id])
        .filter((v): v is number => typeof v === 'number');
      const avg = values.length ? Math.round(values.reduce((s, v) => s + v, 0) / values.length) : '';
      return [a.id, a.label, avg, values.length];
    }),
  };
}
