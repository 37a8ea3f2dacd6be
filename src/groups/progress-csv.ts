/** A group's progress as CSV for a spreadsheet: one row per member, streamed a page at a time. */
import type { Group } from './group-store.js';
import type { GroupQuizzes, MemberProgress, ProgressReports } from './progress-report.js';

/**
 * One CSV line (RFC 4180). A cell that a spreadsheet would read as a formula (=, +, -, @ first,
 * as in a masked +591… number) gets a leading apostrophe, so opening the file runs nothing.
 */
export function csvLine(cells: string[]): string {
  return (
    cells
      .map((cell) => {
        const safe = /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
        return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
      })
      .join(',') + '\r\n'
  );
}

/** The header, then the members' rows; `quizzes` is read first so a failure comes before the reply. */
export async function* progressCsv(
  reports: ProgressReports,
  group: Group,
  quizzes: GroupQuizzes,
): AsyncGenerator<string> {
  const { lessons } = reports;
  yield csvLine([
    'member',
    'channel',
    'language',
    'opted_out',
    'last_message',
    'lessons_done',
    ...lessons.map((l) => `lesson ${l.id} (right/questions)`),
    'feasibility_percent',
    'feasibility_date',
    ...quizzes.summaries.map((q) => `quiz ${q.lesson} ${q.finishedAt.slice(0, 10)} (${q.id})`),
  ]);
  for await (const rows of reports.memberPages(group, quizzes.results)) {
    yield rows.map((m) => csvLine(memberCells(m, reports, quizzes))).join('');
  }
}

function memberCells(m: MemberProgress, reports: ProgressReports, quizzes: GroupQuizzes): string[] {
  return [
    m.member,
    m.channel,
    m.lang ?? '',
    m.optedOut ? 'yes' : 'no',
    m.lastMessageAt,
    String(m.lessonsDone),
    ...reports.lessons.map((l) => {
      const done = m.lessons[l.id];
      return done ? `${done.right}/${done.questions}` : '';
    }),
    m.feasibility ? String(m.feasibility.percent) : '',
    m.feasibility?.on ?? '',
    ...quizzes.results.map((r) => String(m.quizzes[r.id] ?? 0)),
  ];
}
