/**
 * Reads the course from disk: flows/course.yaml, flows/**\/*.yaml and locales/<lang>/*.yaml.
 * It never throws on bad content: it returns every problem it finds as `file: key: what is
 * wrong`, so that the content check can show a trainer all of them at once. The app refuses to
 * start while any problem remains.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { courseFile, flowFile, type Course, type Flow } from './flow-schema.js';
import { LANGUAGES, reviewedText, type Language, type ReviewStatus } from './locale-schema.js';

export interface ContentProblem {
  file: string;
  key: string;
  message: string;
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}: ${p.key}: ${p.message}`;
}

/** One translated string and, for Aymara and Quechua, its review status. */
export interface LocaleEntry {
  text: string;
  status: ReviewStatus;
  reviewer: string | null;
  file: string;
}

/** Flat keys like `what-is-a-cooperative:q_owners.text`. */
export type LocaleTable = Map<string, LocaleEntry>;

export interface LoadedContent {
  course: Course;
  flows: Map<string, { flow: Flow; file: string }>;
  locales: Record<Language, LocaleTable>;
  /** flows/media/*.svg: the pictures' sources, by file name */
  media: Map<string, string>;
  problems: ContentProblem[];
}

export interface ContentDirs {
  flowsDir: string;
  localesDir: string;
}

function listYaml(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return listYaml(full);
    return name.endsWith('.yaml') || name.endsWith('.yml') ? [full] : [];
  });
}

function readYaml(file: string, problems: ContentProblem[], label: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8'));
  } catch (error) {
    const where =
      error instanceof YAMLParseError && error.linePos ? `line ${error.linePos[0].line}` : '(file)';
    problems.push({
      file: label,
      key: where,
      message: `cannot read YAML: ${(error as Error).message.split('\n')[0]}`,
    });
    return undefined;
  }
}

function zodProblems(label: string, error: z.ZodError): ContentProblem[] {
  return error.issues.map((issue) => ({
    file: label,
    key: issue.path.length ? issue.path.join('.') : '(file)',
    message: issue.message,
  }));
}

/** Turns nested YAML into flat `ns:a.b` keys, checking each leaf's shape for its language. */
function flattenLocale(
  value: unknown,
  prefix: string,
  ns: string,
  lang: Language,
  label: string,
  table: LocaleTable,
  problems: ContentProblem[],
): void {
  const key = `${ns}:${prefix}`;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    if (lang !== 'es') {
      problems.push({
        file: label,
        key: prefix,
        message: 'needs {text, status} so its review status is known',
      });
      return;
    }
    table.set(key, { text: String(value), status: 'reviewed', reviewer: null, file: label });
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && 'status' in value) {
    const leaf = reviewedText.safeParse(value);
    if (!leaf.success) {
      for (const p of zodProblems(label, leaf.error)) problems.push({ ...p, key: `${prefix}.${p.key}` });
      return;
    }
    table.set(key, {
      text: leaf.data.text,
      status: leaf.data.status,
      reviewer: leaf.data.reviewer ?? null,
      file: label,
    });
    return;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [child, inner] of Object.entries(value)) {
      flattenLocale(inner, prefix ? `${prefix}.${child}` : child, ns, lang, label, table, problems);
    }
    return;
  }
  problems.push({ file: label, key: prefix || '(file)', message: 'expected text or a map of texts' });
}

export function loadContent(dirs: ContentDirs, root = process.cwd()): LoadedContent {
  const problems: ContentProblem[] = [];
  const rel = (file: string) => path.relative(root, file) || file;

  const coursePath = path.join(dirs.flowsDir, 'course.yaml');
  const courseRaw = readYaml(coursePath, problems, rel(coursePath));
  const courseParsed = courseFile.safeParse(courseRaw);
  if (!courseParsed.success) problems.push(...zodProblems(rel(coursePath), courseParsed.error));
  const course: Course = courseParsed.success
    ? courseParsed.data
    : { version: 0, pageSize: 4, sections: [], assessment: 'feasibility' };

  const flows = new Map<string, { flow: Flow; file: string }>();
  for (const file of listYaml(dirs.flowsDir)) {
    if (path.resolve(file) === path.resolve(coursePath)) continue;
    const label = rel(file);
    const parsed = flowFile.safeParse(readYaml(file, problems, label));
    if (!parsed.success) {
      problems.push(...zodProblems(label, parsed.error));
      continue;
    }
    const flow = parsed.data;
    const other = flows.get(flow.id);
    if (other) {
      problems.push({
        file: label,
        key: 'id',
        message: `flow id ${flow.id} is already used by ${other.file}`,
      });
      continue;
    }
    flows.set(flow.id, { flow, file: label });
  }

  const locales = {} as Record<Language, LocaleTable>;
  for (const lang of LANGUAGES) {
    const table: LocaleTable = new Map();
    for (const file of listYaml(path.join(dirs.localesDir, lang))) {
      const ns = path.basename(file).replace(/\.ya?ml$/, '');
      if (ns === 'words') continue; // read by the answer parser's lexicon, not by i18next
      const raw = readYaml(file, problems, rel(file));
      if (raw === undefined || raw === null) continue;
      flattenLocale(raw, '', ns, lang, rel(file), table, problems);
    }
    locales[lang] = table;
  }

  return { course, flows, locales, media: readMedia(path.join(dirs.flowsDir, 'media')), problems };
}

/** The pictures' SVG sources in flows/media/, by file name; none when the folder is absent. */
function readMedia(dir: string): Map<string, string> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return new Map();
  }
  return new Map(
    names.filter((n) => n.endsWith('.svg')).map((n) => [n, readFileSync(path.join(dir, n), 'utf8')]),
  );
}
