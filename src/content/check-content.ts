/**
 * Checks that go beyond one file's schema: the course names real flows, every key a flow or the
 * engine uses exists in every language, no text is left unused, and answers and former steps
 * point at real things. Each problem names the file and the key.
 */
import { LANGUAGES, type Language } from './locale-schema.js';
import type { ContentProblem, LoadedContent } from './load-content.js';
import { RESERVED_STEP_IDS, type Flow } from './flow-schema.js';
import { checkWhatsAppLabels, WHATSAPP_KEYS } from './check-whatsapp-labels.js';
import { placeholdersOf } from './svg-placeholders.js';

const COURSE_FILE = 'flows/course.yaml';

/** Texts in common.yaml that the engine itself uses (src/conversation, src/flows). */
export const ENGINE_KEYS = [
  'welcome',
  'choose_language',
  'menu',
  'lessons_list',
  'lesson_done_mark',
  'continue',
  'question_options',
  'right',
  'wrong',
  'reveal',
  'lesson_done',
  'welcome_back',
  'flow_changed',
  'flow_removed',
  'progress',
  'progress_section',
  'progress_no_feasibility',
  'help',
  'language_changed',
  'stopped',
  'restarted',
  'deleted',
  'stale_tap',
  'reprompt.language',
  'reprompt.menu',
  'reprompt.lessons',
  'reprompt.choice',
  'more',
  'group_joined',
  'group_already',
  'group_full',
  'group_not_found',
  'group_left',
  'group_none',
  'group_created',
  'member_joined',
  'member_left',
  'coordinator_help',
  'quiz_start',
  'quiz_received',
  'quiz_already',
  'quiz_result',
  'quiz_discuss',
  'quiz_end',
  'quiz_summary',
  'quiz_started',
  'quiz_running',
  'quiz_no_lesson',
  'notice_sent',
  'notice_no_text',
  'notice_body',
  'console_code',
  'nudge.message',
  'nudge.question',
  'completed',
  'progress_code',
  'reprompt.continue',
  'choices_or',
  'feasibility.result',
  'feasibility.area_score',
  'feasibility.strengths',
  'feasibility.gaps',
  'feasibility.no_gaps',
  'feasibility.next_steps',
  'feasibility.summary_short',
  'feasibility.verdict.viable',
  'feasibility.verdict.conditional',
  'feasibility.verdict.not_yet',
  'feasibility.short.viable',
  'feasibility.short.conditional',
  'feasibility.short.not_yet',
  'amount.nan',
  'amount.low',
  'amount.high',
  'amount.missing',
  'draft_notice',
  'suggest_thanks',
  'suggest_how',
  'suggest_nothing',
  'suggest_capped',
  ...WHATSAPP_KEYS,
  'certificate.heading',
  'certificate.completed',
  'certificate.date',
  'certificate.check',
  'certificate.name_saved',
  'certificate.name_how',
  'certificate.name_whatsapp_only',
].map((key) => `common:${key}`);

/** Every text key a flow names, fully qualified, with where it is named. */
export function keysOfFlow(
  flow: Flow,
  media: Map<string, string> = new Map(),
): { key: string; where: string }[] {
  const q = (key: string) => (key.includes(':') ? key : `${flow.id}:${key}`);
  const keys = [{ key: q(flow.title), where: 'title' }];
  if (flow.label) keys.push({ key: q(flow.label), where: 'label' });
  if (flow.kind === 'assessment') {
    flow.areas.forEach((area, i) => {
      keys.push(
        { key: q(area.label), where: `areas.${i}.label` },
        { key: q(area.advice), where: `areas.${i}.advice` },
      );
    });
  }
  flow.steps.forEach((step, i) => {
    const at = `steps.${i}(${step.id})`;
    keys.push({ key: q(step.text), where: `${at}.text` });
    if (step.type === 'message' && step.image) {
      keys.push({ key: q(step.image.alt), where: `${at}.image.alt` });
      for (const word of placeholdersOf(media.get(step.image.file) ?? ''))
        keys.push({ key: q(word), where: `${at}.image (${step.image.file})` });
    }
    if (step.type === 'question') {
      step.options.forEach((o, j) => keys.push({ key: q(o), where: `${at}.options.${j}` }));
      keys.push({ key: q(step.explanation), where: `${at}.explanation` });
      if (step.hint) keys.push({ key: q(step.hint), where: `${at}.hint` });
    }
    if (step.type === 'rating')
      step.options.forEach((o, j) => keys.push({ key: q(o.text), where: `${at}.options.${j}` }));
    if (step.type === 'calculation')
      for (const [verdict, key] of Object.entries(step.verdicts))
        keys.push({ key: q(key), where: `${at}.verdicts.${verdict}` });
  });
  return keys;
}

export function checkContent(content: LoadedContent): ContentProblem[] {
  // Every text the course, the flows or the engine names; whatever else a locale holds is unused.
  const used = new Set<string>(ENGINE_KEYS);
  const problems = checkCourse(content, used);
  const offered = new Set([...content.course.sections.flatMap((s) => s.lessons), content.course.assessment]);
  for (const { flow, file } of content.flows.values()) {
    if (!offered.has(flow.id))
      problems.push({ file, key: 'id', message: `flow ${flow.id} is not listed in ${COURSE_FILE}` });
    problems.push(...checkSteps(flow, file), ...checkAreas(flow, file), ...checkImages(flow, file, content));
    for (const { key, where } of keysOfFlow(flow, content.media)) {
      used.add(key);
      problems.push(...missingIn(content, key).map((lang) => missingText(file, where, key, lang)));
    }
  }
  for (const key of ENGINE_KEYS) {
    for (const lang of missingIn(content, key)) {
      problems.push({
        file: `locales/${lang}/common.yaml`,
        key: key.slice('common:'.length),
        message: 'missing: Ayni uses this text',
      });
    }
  }
  problems.push(...checkWhatsAppLabels(content));
  return [...problems, ...unusedTexts(content, used)];
}

/** flows/course.yaml: its sections, lessons, completion section and assessment name real things. */
function checkCourse(content: LoadedContent, used: Set<string>): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const file = COURSE_FILE;
  const listed = new Map<string, string>();
  content.course.sections.forEach((section, si) => {
    used.add(section.title);
    for (const lang of missingIn(content, section.title)) {
      problems.push(missingText(file, `sections.${si}.title`, section.title, lang));
    }
    section.lessons.forEach((id, i) => {
      const key = `sections.${si}.lessons.${i}`;
      if (!content.flows.get(id)) problems.push({ file, key, message: `no flow has the id ${id}` });
      const other = listed.get(id);
      if (other) problems.push({ file, key, message: `${id} is already listed in section ${other}` });
      listed.set(id, section.id);
    });
  });
  const { completion, assessment: assessmentId } = content.course;
  if (completion && !content.course.sections.some((s) => s.id === completion)) {
    problems.push({ file, key: 'completion', message: `no section has the id ${completion}` });
  }
  if (completion && !content.media.has('certificate.svg')) {
    problems.push({
      file,
      key: 'completion',
      message: 'flows/media/certificate.svg (the certificate) does not exist',
    });
  }
  const assessment = content.flows.get(assessmentId);
  if (!assessment) problems.push({ file, key: 'assessment', message: `no flow has the id ${assessmentId}` });
  else if (assessment.flow.kind !== 'assessment') {
    problems.push({ file, key: 'assessment', message: `${assessmentId} is not an assessment` });
  }
  return problems;
}

/** Step ids are unique and not reserved; `next` and formerSteps point at steps of the flow. */
function checkSteps(flow: Flow, file: string): ContentProblem[] {
  const problems: ContentProblem[] = [];
  const stepIds = new Set<string>();
  flow.steps.forEach((step, i) => {
    if (stepIds.has(step.id))
      problems.push({ file, key: `steps.${i}.id`, message: `step id ${step.id} is used twice` });
    if (RESERVED_STEP_IDS.includes(step.id)) {
      problems.push({
        file,
        key: `steps.${i}.id`,
        message: `${step.id} is reserved; choose another step id`,
      });
    }
    stepIds.add(step.id);
  });
  flow.steps.forEach((step, i) => {
    if (step.next && step.next !== 'end' && !stepIds.has(step.next)) {
      problems.push({
        file,
        key: `steps.${i}(${step.id}).next`,
        message: `${step.next} is not a step of this flow`,
      });
    }
  });
  for (const [former, now] of Object.entries(flow.formerSteps ?? {})) {
    if (!stepIds.has(now))
      problems.push({ file, key: `formerSteps.${former}`, message: `points at ${now}, which is not a step` });
  }
  return problems;
}

/** Every picture a step shows exists in flows/media/. */
function checkImages(flow: Flow, file: string, content: LoadedContent): ContentProblem[] {
  return flow.steps.flatMap((step, i) =>
    step.type === 'message' && step.image && !content.media.has(step.image.file)
      ? [
          {
            file,
            key: `steps.${i}(${step.id}).image.file`,
            message: `flows/media/${step.image.file} does not exist`,
          },
        ]
      : [],
  );
}

/** In the assessment, every rating scores a known area and every area is scored. */
function checkAreas(flow: Flow, file: string): ContentProblem[] {
  if (flow.kind !== 'assessment') return [];
  const problems: ContentProblem[] = [];
  const areas = new Set(flow.areas.map((a) => a.id));
  flow.steps.forEach((step, i) => {
    if (step.type === 'rating' && !areas.has(step.area)) {
      problems.push({ file, key: `steps.${i}.area`, message: `area ${step.area} is not one of the areas` });
    }
  });
  for (const area of areas) {
    if (!flow.steps.some((s) => s.type === 'rating' && s.area === area)) {
      problems.push({ file, key: `areas.${area}`, message: 'no question scores this area' });
    }
  }
  return problems;
}

function unusedTexts(content: LoadedContent, used: Set<string>): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const lang of LANGUAGES) {
    for (const [key, entry] of content.locales[lang]) {
      if (!used.has(key))
        problems.push({
          file: entry.file,
          key: key.slice(key.indexOf(':') + 1),
          message: 'no flow uses this text',
        });
    }
  }
  return problems;
}

/** The languages that lack a text. */
function missingIn(content: LoadedContent, key: string): Language[] {
  return LANGUAGES.filter((lang) => !content.locales[lang].has(key));
}

function missingText(file: string, where: string, key: string, lang: Language): ContentProblem {
  return { file, key: where, message: `text ${key} is missing in locales/${lang}` };
}
