/**
 * Everything the conversation needs from content, built once at start-up: the checked course,
 * the translator, the learners' words, the compiled machine and the reply renderer. It refuses
 * to build from content with problems, listing them as the content check does.
 */
import path from 'node:path';
import { createAnswerReader } from '../reading/answer-reader.js';
import { loadLexicon, type Lexicon } from '../reading/lexicon.js';
import { Certificates, CERTIFICATE_FILE } from '../replies/certificate.js';
import { Pictures } from '../replies/pictures.js';
import { createReplyRenderer, type ReplyRenderer } from '../replies/render-reply.js';
import { compileLearnerMachine, type AnswerReader, type LearnerMachine } from '../flows/compile-machine.js';
import { buildCourse, type Course } from '../flows/course.js';
import { loadSpellingPolicy } from '../i18n/load-spelling-policy.js';
import type { SpellingPolicy } from '../i18n/sms-spelling.js';
import { createTranslator, type Translator } from '../i18n/translator.js';
import { checkContent } from '../content/check-content.js';
import { formatProblem, loadContent, type LoadedContent } from '../content/load-content.js';

export interface ContentRuntime {
  content: LoadedContent;
  course: Course;
  translator: Translator;
  lexicon: Lexicon;
  machine: LearnerMachine;
  reader: AnswerReader;
  render: ReplyRenderer;
  spelling: SpellingPolicy;
  /** the lessons' pictures, rendered on first use */
  pictures: Pictures;
  /** the certificate for finishing the completion section, drawn on demand */
  certificates: Certificates;
}

export class ContentError extends Error {
  constructor(readonly problems: string[]) {
    super(`The course content has ${problems.length} problem(s):\n${problems.join('\n')}`);
    this.name = 'ContentError';
  }
}

export function buildContentRuntime(
  dirs: { flowsDir: string; localesDir: string },
  root = process.cwd(),
  options: { timeZone?: string } = {},
): ContentRuntime {
  const flowsDir = path.resolve(root, dirs.flowsDir);
  const localesDir = path.resolve(root, dirs.localesDir);
  const content = loadContent({ flowsDir, localesDir }, root);
  const problems = [...content.problems, ...checkContent(content)];
  if (problems.length) throw new ContentError(problems.map(formatProblem));
  const course = buildCourse(content);
  const translator = createTranslator(content.locales);
  const lexicon = loadLexicon(localesDir);
  const reader = createAnswerReader(translator, lexicon);
  const machine = compileLearnerMachine(course, reader, options.timeZone);
  const render = createReplyRenderer(course, translator);
  const spelling = loadSpellingPolicy(localesDir);
  const pictures = new Pictures(course, translator, content.media);
  const certificates = new Certificates(course, translator, content.media.get(CERTIFICATE_FILE));
  return { content, course, translator, lexicon, machine, reader, render, spelling, pictures, certificates };
}
