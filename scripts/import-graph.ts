/**
 * The import graph of src/, by file and by room (the top-level folder, or the file for app.ts,
 * config.ts and server.ts), checked against the layers in docs/architecture.md.
 *   npm run layers        prints the rooms' arrows and every import that runs up or around
 * tests/architecture/layers.test.ts fails on the same findings, so CI keeps the house in order.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Bottom first. A room may import only rooms below it (and itself). Keep this list and the
 * diagram in docs/architecture.md together.
 */
export const LAYERS: readonly string[] = [
  'config.ts',
  'privacy',
  'content',
  'i18n',
  'flows',
  'reading',
  'store',
  'messaging',
  'replies',
  'groups',
  'conversation',
  'broadcasts',
  'nudges',
  'plugins',
  'routes',
  'app.ts',
  'content-tools',
  'cli',
  'server.ts',
];

export interface ImportEdge {
  from: string;
  to: string;
}

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTs(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every relative import (types included) between files of `srcDir`, as paths relative to it. */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of listTs(srcDir)) {
    const info = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, false);
    for (const ref of info.importedFiles) {
      if (!ref.fileName.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), ref.fileName).replace(/\.js$/, '.ts');
      edges.push({ from: path.relative(srcDir, file), to: path.relative(srcDir, target) });
    }
  }
  return edges;
}

export function roomOf(file: string): string {
  return file.split(path.sep)[0] ?? file;
}

export interface LayerReport {
  rooms: string[];
  /** room → room arrows with how many imports each */
  arrows: Map<string, number>;
  /** imports whose target room is above (or beside, unlisted) the importing room */
  upward: ImportEdge[];
  /** pairs of rooms that import each other */
  twoWay: Array<[string, string]>;
  /** circles of files (each listed once, as the files in it) */
  circles: string[][];
  /** rooms that are in src/ but not in LAYERS */
  unlisted: string[];
}

export function checkLayers(srcDir: string, layers: readonly string[] = LAYERS): LayerReport {
  const edges = importEdges(srcDir);
  const rank = new Map(layers.map((room, i) => [room, i]));
  const rooms = [...new Set(listTs(srcDir).map((f) => roomOf(path.relative(srcDir, f))))].sort();
  const arrows = new Map<string, number>();
  const upward: ImportEdge[] = [];
  for (const edge of edges) {
    const a = roomOf(edge.from);
    const b = roomOf(edge.to);
    if (a === b) continue;
    arrows.set(`${a} -> ${b}`, (arrows.get(`${a} -> ${b}`) ?? 0) + 1);
    const ra = rank.get(a);
    const rb = rank.get(b);
    if (ra === undefined || rb === undefined || rb > ra) upward.push(edge);
  }
  const twoWay: Array<[string, string]> = [];
  for (const key of arrows.keys()) {
    const [a, b] = key.split(' -> ') as [string, string];
    if (a < b && arrows.has(`${b} -> ${a}`)) twoWay.push([a, b]);
  }
  return {
    rooms,
    arrows,
    upward,
    twoWay,
    circles: fileCircles(edges),
    unlisted: rooms.filter((room) => !rank.has(room)),
  };
}

/** Strongly connected groups of more than one file (Tarjan's algorithm). */
function fileCircles(edges: ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) circles.push(group.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return circles;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const report = checkLayers(path.resolve('src'));
  for (const [arrow, count] of [...report.arrows].sort()) console.log(`${arrow} (${count})`);
  console.log(`\n${report.arrows.size} arrows between ${report.rooms.length} rooms`);
  console.log(`upward imports: ${report.upward.length}`);
  for (const { from, to } of report.upward) console.log(`  ${from} -> ${to}`);
  console.log(`two-way room pairs: ${report.twoWay.length}`);
  for (const [a, b] of report.twoWay) console.log(`  ${a} <-> ${b}`);
  console.log(`circles of files: ${report.circles.length}`);
  for (const circle of report.circles) console.log(`  ${circle.join(' <-> ')}`);
  if (report.unlisted.length) console.log(`rooms missing from LAYERS: ${report.unlisted.join(', ')}`);
  const bad = report.upward.length + report.twoWay.length + report.circles.length + report.unlisted.length;
  process.exitCode = bad ? 1 : 0;
}
