/**
 * Where learners stop in one flow, from the funnel's counters (src/store/funnel-store.ts): how
 * many started, reached each step and finished, the step where most stop, and per question the
 * share right at the first try and the wrong option chosen most. Overall (administrators) or for
 * a set of groups (a coordinator's), split by language and channel when asked. Pure.
 */
import type { AnyFlow } from '../flows/course.js';
import type { FunnelCount } from '../store/funnel-store.js';

export interface FunnelFilter {
  /** the groups to count; null: every learner (the overall counters) */
  groups: string[] | null;
  lang?: string;
  channel?: string;
}

export interface FunnelQuestion {
  /** first answers counted */
  answered: number;
  /** percent right at the first try; null before any answer */
  rightPct: number | null;
  /** the wrong option chosen most at the first try (counted from 1), and how often */
  topWrong: { option: number; count: number } | null;
}

export interface FunnelStep {
  /** its place, from 1 */
  n: number;
  id: string;
  type: string;
  reached: number;
  /** reached it but not the next step (or, for the last, did not finish) */
  stopped: number;
  /** the step where most stop */
  mostStop: boolean;
  question: FunnelQuestion | null;
}

export interface FunnelReport {
  flow: string;
  started: number;
  finished: number;
  steps: FunnelStep[];
}

function matches(count: FunnelCount, filter: FunnelFilter): boolean {
  if (filter.groups === null ? count.group !== null : !count.group || !filter.groups.includes(count.group)) {
    return false;
  }
  return (
    (!filter.lang || count.lang === filter.lang) && (!filter.channel || count.channel === filter.channel)
  );
}

export function funnelReport(flow: AnyFlow, counts: FunnelCount[], filter: FunnelFilter): FunnelReport {
  const totals = new Map<string, number>();
  for (const count of counts) {
    if (matches(count, filter)) totals.set(count.event, (totals.get(count.event) ?? 0) + count.count);
  }
  const total = (event: string) => totals.get(event) ?? 0;
  const finished = total('done');
  const steps: FunnelStep[] = flow.steps.map((step, i) => {
    const reached = total(`reach:${step.id}`);
    const after = i + 1 < flow.steps.length ? total(`reach:${flow.steps[i + 1]!.id}`) : finished;
    return {
      n: i + 1,
      id: step.id,
      type: step.type,
      reached,
      stopped: Math.max(0, reached - after),
      mostStop: false,
      question: step.type === 'question' ? question(step.id, step.options.length, total) : null,
    };
  });
  const most = Math.max(0, ...steps.map((s) => s.stopped));
  if (most > 0) steps.find((s) => s.stopped === most)!.mostStop = true;
  return { flow: flow.id, started: total('start'), finished, steps };
}

function question(stepId: string, options: number, total: (event: string) => number): FunnelQuestion {
  const right = total(`right:${stepId}`);
  let wrong = 0;
  let topWrong: FunnelQuestion['topWrong'] = null;
  for (let option = 0; option <= options; option++) {
    const count = total(`wrong:${stepId}:${option}`);
    wrong += count;
    if (option > 0 && count > 0 && (!topWrong || count > topWrong.count)) topWrong = { option, count };
  }
  const answered = right + wrong;
  return { answered, rightPct: answered ? Math.round((100 * right) / answered) : null, topWrong };
}

/** The report as CSV rows (header first): one per step. */
export function funnelRows(report: FunnelReport): string[][] {
  const header = [
    'step',
    'id',
    'type',
    'reached',
    'stopped_here',
    'most_stop',
    'first_answers',
    'right_first_try_pct',
    'most_chosen_wrong_option',
    'chosen',
  ];
  const rows = report.steps.map((s) => [
    String(s.n),
    s.id,
    s.type,
    String(s.reached),
    String(s.stopped),
    s.mostStop ? 'yes' : '',
    s.question ? String(s.question.answered) : '',
    s.question?.rightPct === null || !s.question ? '' : String(s.question.rightPct),
    s.question?.topWrong ? String(s.question.topWrong.option) : '',
    s.question?.topWrong ? String(s.question.topWrong.count) : '',
  ]);
  return [
    header,
    ['start', '', '', String(report.started), '', '', '', '', '', ''],
    ...rows,
    ['done', '', '', String(report.finished), '', '', '', '', '', ''],
  ];
}
