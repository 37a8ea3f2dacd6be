/**
 * The content report's learner figures (`npm run content:report -- --stats`), read from a Redis
 * the funnel counts in: per flow, how many started and finished and the step where most stop;
 * per question, its text beside the share right at the first try and the wrong option chosen
 * most, so a content author sees the weak questions next to their words. Counts only.
 */
import type { AnyFlow, Course } from '../flows/course.js';
import { qualifyKey } from '../flows/course.js';
import { funnelReport, type FunnelReport } from '../groups/funnel-report.js';
import type { Translator } from '../i18n/translator.js';
import type { FunnelStore } from '../store/funnel-store.js';

export interface QuestionStats {
  step: number;
  text: string;
  answered: number;
  rightPct: number | null;
  topWrong: string | null;
}

export interface FlowStats {
  flow: string;
  title: string;
  started: number;
  finished: number;
  /** `3: <text>` of the step where most stop, or null */
  mostStop: string | null;
  questions: QuestionStats[];
}

export async function contentStats(
  course: Course,
  translator: Translator,
  funnel: Pick<FunnelStore, 'read'>,
  now: number,
  days: number,
): Promise<FlowStats[]> {
  const flows: AnyFlow[] = [...course.lessons, course.assessment];
  return Promise.all(
    flows.map(async (flow) => {
      const report = funnelReport(flow, await funnel.read(flow.id, now, days), { groups: null });
      return flowStats(flow, report, (key) => translator.t('es', qualifyKey(flow.id, key)));
    }),
  );
}

function flowStats(flow: AnyFlow, report: FunnelReport, t: (key: string) => string): FlowStats {
  const most = report.steps.find((s) => s.mostStop);
  const questions = flow.steps.flatMap((step, i): QuestionStats[] => {
    const q = report.steps[i]?.question;
    if (step.type !== 'question' || !q) return [];
    const wrong = q.topWrong
      ? `${q.topWrong.option}: ${t(step.options[q.topWrong.option - 1] ?? '')} (${q.topWrong.count})`
      : null;
    return [{ step: i + 1, text: t(step.text), answered: q.answered, rightPct: q.rightPct, topWrong: wrong }];
  });
  return {
    flow: flow.id,
    title: t(flow.title),
    started: report.started,
    finished: report.finished,
    mostStop: most ? `${most.n}: ${t(flow.steps[most.n - 1]!.text)} (${most.stopped})` : null,
    questions,
  };
}

const cellText = (value: string | number | null) =>
  String(value ?? '—')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');

export function statsMarkdown(stats: FlowStats[], days: number): string {
  const lines = [
    '',
    `## Learners (last ${days} days)`,
    '',
    'From the funnel counters in Redis: every learner, every language and channel.',
    '',
    '| lesson | started | finished | where most stop |',
    '| --- | ---: | ---: | --- |',
    ...stats.map(
      (s) => `| ${cellText(s.title)} (${s.flow}) | ${s.started} | ${s.finished} | ${cellText(s.mostStop)} |`,
    ),
    '',
    '### Questions',
    '',
    '| lesson | step | question | first answers | right at the first try | wrong option chosen most |',
    '| --- | ---: | --- | ---: | ---: | --- |',
    ...stats.flatMap((s) =>
      s.questions.map(
        (q) =>
          `| ${s.flow} | ${q.step} | ${cellText(q.text)} | ${q.answered} | ${q.rightPct === null ? '—' : `${q.rightPct} %`} | ${cellText(q.topWrong)} |`,
      ),
    ),
    '',
  ];
  return lines.join('\n');
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

/** The same figures as an HTML section, to put before the report's `</body>`. */
export function statsHtml(stats: FlowStats[], days: number): string {
  const td = (value: string | number | null, numeric = false) =>
    `<td${numeric ? ' class="n"' : ''}>${escapeHtml(String(value ?? '—'))}</td>`;
  const flows = stats
    .map(
      (s) =>
        `<tr>${td(`${s.title} (${s.flow})`)}${td(s.started, true)}${td(s.finished, true)}${td(s.mostStop)}</tr>`,
    )
    .join('\n');
  const questions = stats
    .flatMap((s) =>
      s.questions.map(
        (q) =>
          `<tr${q.rightPct !== null && q.rightPct < 50 ? ' class="draft"' : ''}>${td(s.flow)}${td(q.step, true)}${td(q.text)}${td(q.answered, true)}${td(q.rightPct === null ? null : `${q.rightPct} %`, true)}${td(q.topWrong)}</tr>`,
      ),
    )
    .join('\n');
  return `<h2>Learners (last ${days} days)</h2>
<p>From the funnel counters in Redis: every learner, every language and channel. Highlighted: questions fewer than half got right at the first try.</p>
<table>
<thead><tr><th>lesson</th><th>started</th><th>finished</th><th>where most stop</th></tr></thead>
<tbody>
${flows}
</tbody>
</table>
<h3>Questions</h3>
<table>
<thead><tr><th>lesson</th><th>step</th><th>question</th><th>first answers</th><th>right at the first try</th><th>wrong option chosen most</th></tr></thead>
<tbody>
${questions}
</tbody>
</table>
`;
}
