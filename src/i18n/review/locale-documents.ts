/**
 * The Aymara and Quechua locale files as YAML documents (the `yaml` library's Document API), so a
 * review can change a text, its status and its reviewer while every comment, quote style and
 * key order stays as the writer left it. Only files that change are written back.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { Language } from '../../content/locale-schema.js';

/** How the files are written: no folding of long lines, as the writers keep them. */
const STRINGIFY = { lineWidth: 0 } as const;

export interface LocaleLeaf {
  /** `locales/ay/what-is-a-cooperative.yaml`, relative to the content root */
  file: string;
  /** the namespace, the file's name without `.yaml` */
  ns: string;
  /** `q_owners.text`, as content:check names it */
  key: string;
  text: string;
  status: string;
  reviewer: string | null;
  note: string;
}

export interface LocaleFile {
  file: string;
  absolute: string;
  source: string;
  doc: Document;
  /** false when the library would write the untouched file differently: such a file is not edited */
  roundTrips: boolean;
}

/** Every locale file of one language but words.yaml (the answer parser's, not texts). */
export function readLocaleFiles(root: string, localesDir: string, lang: Language): LocaleFile[] {
  const dir = path.resolve(root, localesDir, lang);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') && name !== 'words.yaml')
    .sort()
    .map((name) => {
      const absolute = path.join(dir, name);
      const source = readFileSync(absolute, 'utf8');
      const file = path.relative(root, absolute).split(path.sep).join('/');
      const doc = parseDocument(source);
      return { file, absolute, source, doc, roundTrips: doc.toString(STRINGIFY) === source };
    });
}

/** The texts of one file in the order they are written, each a `{text, status, …}` map. */
export function leavesOf(locale: LocaleFile): LocaleLeaf[] {
  const ns = path.basename(locale.file, '.yaml');
  const leaves: LocaleLeaf[] = [];
  const walk = (node: unknown, prefix: string[]) => {
    if (!isMap(node)) return;
    if (node.has('status')) {
      leaves.push({ file: locale.file, ns, key: prefix.join('.'), ...leafFields(node) });
      return;
    }
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      walk(pair.value, [...prefix, name]);
    }
  };
  walk(locale.doc.contents, []);
  return leaves;
}

function leafFields(map: YAMLMap): Pick<LocaleLeaf, 'text' | 'status' | 'reviewer' | 'note'> {
  const str = (name: string) => {
    const value = map.get(name);
    return value === null || value === undefined ? null : String(value);
  };
  return {
    text: str('text') ?? '',
    status: str('status') ?? '',
    reviewer: str('reviewer'),
    note: str('note') ?? '',
  };
}

/**
 * Sets one field of a text in place. An existing scalar keeps its node (and so its quote or block
 * style); a missing field is added at the end of the text's map.
 */
export function setLeafField(locale: LocaleFile, key: string, field: string, value: string): void {
  const at = [...key.split('.'), field];
  const node = locale.doc.getIn(at, true);
  if (isScalar(node)) node.value = value;
  else locale.doc.setIn(at, value);
}

/** The file as it would be written now. */
export function renderLocale(locale: LocaleFile): string {
  return locale.doc.toString(STRINGIFY);
}

/** Writes the file if, and only if, its text changed; says whether it did. */
export function writeIfChanged(locale: LocaleFile): boolean {
  const next = renderLocale(locale);
  if (next === locale.source) return false;
  writeFileSync(locale.absolute, next);
  return true;
}
