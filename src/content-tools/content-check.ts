/**
 * The whole content check, as `npm run content:check` runs it: schemas, references, keys in
 * every language, unused texts, and the SMS budget of every message.
 */
import path from 'node:path';
import { checkContent } from '../content/check-content.js';
import { loadContent, formatProblem, type ContentProblem } from '../content/load-content.js';
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import { buildContentRuntime, type ContentRuntime } from '../plugins/content-runtime.js';
import { PICTURE_MAX_BYTES } from '../replies/pictures.js';
import { walkFlows } from './walk-flows.js';
import { measureMessages, type MeasuredMessage } from './sms-budget.js';
import { answerPositions, checkQuizBalance, type AnswerPositions } from './quiz-balance.js';
import { checkQuechuaSpelling } from './quechua-spelling.js';
import { checkGuides } from './facilitator-guides.js';

export interface ContentCheckResult {
  problems: string[];
  messages: MeasuredMessage[];
  drafts: Record<Language, number>;
  /** where the right answers of the course's questions sit */
  positions: AnswerPositions;
}

export function runContentCheck(
  dirs: { flowsDir: string; localesDir: string },
  root = process.cwd(),
): ContentCheckResult {
  const content = loadContent(
    { flowsDir: path.resolve(root, dirs.flowsDir), localesDir: path.resolve(root, dirs.localesDir) },
    root,
  );
  const positions = answerPositions([...content.flows.values()].map((f) => f.flow));
  // Problems that keep the course from being built stop the check before the walk; the others
  // (quiz balance, Quechua spelling, facilitator guides) do not, so one slip does not hide an
  // over-budget text or a heavy picture until the next run.
  const blocking: ContentProblem[] = [...content.problems, ...checkContent(content)];
  const independent = [
    ...checkQuizBalance(positions),
    ...checkQuechuaSpelling(path.resolve(root, dirs.localesDir), content.locales.qu),
    ...checkGuides(
      path.resolve(root, dirs.localesDir),
      content.course.sections.flatMap((s) => s.lessons),
    ),
  ].map(formatProblem);
  const drafts = Object.fromEntries(
    LANGUAGES.map((lang) => [
      lang,
      [...content.locales[lang].values()].filter((e) => e.status === 'draft').length,
    ]),
  ) as Record<Language, number>;
  if (blocking.length)
    return { problems: [...blocking.map(formatProblem), ...independent], messages: [], drafts, positions };

  const flowFiles = new Map([...content.flows.values()].map(({ flow, file }) => [flow.id, file]));
  let messages: MeasuredMessage[] = [];
  let unreachable: string[] = [];
  let heavy: string[] = [];
  try {
    const runtime = buildContentRuntime(dirs, root);
    heavy = heavyPictures(runtime, flowFiles);
    unreachable = walkFlows(runtime.course, runtime.machine, (id) => flowFiles.get(id) ?? id).map(
      formatProblem,
    );
    messages = measureMessages(runtime);
  } catch (error) {
    const built = `(content): (build): ${(error as Error).message}`;
    return { problems: [...independent, built], messages, drafts, positions };
  }
  const overBudget = messages
    .filter((m) => m.segments > m.budget)
    .map((m) => {
      const file = m.flow === 'common' ? `locales/${m.lang}/common.yaml` : (flowFiles.get(m.flow) ?? m.flow);
      return formatProblem({
        file,
        key: `${m.key} (${m.lang})`,
        message: `${m.segments} SMS segments, budget ${m.budget} (${m.encoding}, ${[...m.sms].length} characters as sent)`,
      });
    });
  return {
    problems: [...independent, ...unreachable, ...heavy, ...new Set(overBudget)],
    messages,
    drafts,
    positions,
  };
}

/** Every picture, rendered in every language, within PICTURE_MAX_BYTES (learners pay for data). */
function heavyPictures(runtime: ContentRuntime, flowFiles: Map<string, string>): string[] {
  return runtime.pictures.all().flatMap(({ lang, flow, step, file }) => {
    const bytes = runtime.pictures.png(lang, flow, step)?.length ?? 0;
    if (bytes <= PICTURE_MAX_BYTES) return [];
    return [
      formatProblem({
        file: flowFiles.get(flow) ?? flow,
        key: `${step}.image (${lang})`,
        message: `flows/media/${file} renders to ${Math.ceil(bytes / 1024)} KB in ${lang}; at most ${PICTURE_MAX_BYTES / 1024} KB`,
      }),
    ];
  });
}
