/** How lists and results look: a page of lessons, the learner's progress, the assessment's result. */
import type { Language } from '../content/locale-schema.js';
import { qualifyKey } from '../flows/course.js';
import type { Reply } from '../flows/reply.js';
import { feasibilityVerdict } from '../flows/feasibility-verdict.js';
import { STRENGTH_FROM } from '../flows/score-assessment.js';
import type { Wording } from './wording.js';

type LessonsReply = Extract<Reply, { kind: 'lessons' }>;
type ProgressReply = Extract<Reply, { kind: 'progress' }>;
type FeasibilityReply = Extract<Reply, { kind: 'feasibility' }>;

/** One page of a section's lessons, numbered across pages, the finished ones marked. */
export function lessonsText(reply: LessonsReply, lang: Language, { course, t, common }: Wording): string {
  const section = course.sections.find((s) => s.id === reply.section);
  if (!section) throw new Error(`unknown section ${reply.section}`);
  const offset = section.pages.slice(0, reply.page).reduce((n, page) => n + page.length, 0);
  const lines = (section.pages[reply.page] ?? []).map((flow, i) => {
    const mark = reply.done.includes(flow.id) ? ` ${common(lang, 'lesson_done_mark')}` : '';
    return `${offset + i + 1} ${t(lang, qualifyKey(flow.id, flow.title))}${mark}`;
  });
  if (section.pages.length > 1) lines.push(common(lang, 'more'));
  return common(lang, 'lessons_list', { title: t(lang, section.title), list: lines.join('\n') });
}

export function progressText(reply: ProgressReply, lang: Language, wording: Wording): string {
  const { course, t, common } = wording;
  const sections = course.sections.map((section) => {
    const lessons = section.flows.filter((f) => f.kind === 'lesson');
    const finished = lessons.filter((f) => reply.done[f.id]);
    const [right, questions] = finished.reduce(
      ([r, q], f) => [r + (reply.done[f.id]?.[0] ?? 0), q + (reply.done[f.id]?.[1] ?? 0)],
      [0, 0],
    );
    return common(lang, 'progress_section', {
      title: t(lang, section.title),
      done: finished.length,
      total: lessons.length,
      right,
      questions,
    });
  });
  const feasibility = reply.feasibility
    ? common(lang, 'feasibility.summary_short', {
        verdict: shortVerdict(reply.feasibility.areas, lang, wording),
        date: reply.feasibility.on,
      })
    : common(lang, 'progress_no_feasibility');
  const lines = [common(lang, 'progress', { sections: sections.join('\n'), feasibility })];
  if (reply.cert) lines.push(common(lang, 'progress_code', { code: reply.cert.code }));
  return lines.join('\n');
}

/** The score per area, strengths and what needs work, the verdict in words, then advice on every area that needs work. */
export function feasibilityTexts(
  reply: FeasibilityReply,
  lang: Language,
  { course, t, common }: Wording,
): string[] {
  const assessment = course.assessment;
  const label = (areaLabel: string) => t(lang, qualifyKey(assessment.id, areaLabel));
  const areas = assessment.areas.map((area) => ({
    ...area,
    percent: reply.result.areas[area.id] ?? 0,
  }));
  const lines = areas.map((a) =>
    common(lang, 'feasibility.area_score', { label: label(a.label), percent: a.percent }),
  );
  const { verdict, gaps, first } = feasibilityVerdict(assessment, reply.result.areas);
  const byId = new Map(areas.map((a) => [a.id, a]));
  const labels = (ids: string[]) => ids.map((id) => label(byId.get(id)?.label ?? id)).join(', ');
  const strengths = areas.filter((a) => a.percent >= STRENGTH_FROM);
  const summary = [
    strengths.length
      ? common(lang, 'feasibility.strengths', { list: labels(strengths.map((a) => a.id)) })
      : '',
    gaps.length
      ? common(lang, 'feasibility.gaps', { list: labels(gaps) })
      : common(lang, 'feasibility.no_gaps'),
  ].filter(Boolean);
  // Every area that needs work gets its advice, each its own message, weakest first.
  const nextSteps = gaps.map((id) =>
    common(lang, 'feasibility.next_steps', {
      advice: t(lang, qualifyKey(assessment.id, byId.get(id)?.advice ?? id)),
    }),
  );
  return [
    common(lang, 'feasibility.result', { areas: lines.join('\n') }),
    summary.join('\n'),
    common(lang, `feasibility.verdict.${verdict}`, { first: labels(first) }),
    ...nextSteps,
  ];
}

/** The verdict in a few words for "Mi progreso", instead of an average of the areas. */
function shortVerdict(
  percents: Record<string, number>,
  lang: Language,
  { course, t, common }: Wording,
): string {
  const assessment = course.assessment;
  const { verdict, first } = feasibilityVerdict(assessment, percents);
  const labels = first
    .map((id) => assessment.areas.find((a) => a.id === id))
    .map((area) => (area ? t(lang, qualifyKey(assessment.id, area.label)) : ''))
    .join(', ');
  return common(lang, `feasibility.short.${verdict}`, { first: labels });
}
