// The layers of docs/architecture.md, enforced: every import between rooms of src/ points down.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLayers, LAYERS } from '../../scripts/import-graph.js';

describe('the layers of src/', () => {
  const report = checkLayers(path.resolve('src'));

  it('names every room of src/ in the layer list', () => {
    expect(report.unlisted).toEqual([]);
  });

  it('has no import that runs up a layer', () => {
    expect(report.upward.map(({ from, to }) => `${from} -> ${to}`)).toEqual([]);
  });

  it('has no two rooms importing each other and no circle of files', () => {
    expect(report.twoWay).toEqual([]);
    expect(report.circles).toEqual([]);
  });

  it('lists the layers in docs/architecture.md in the same order', () => {
    const doc = fs.readFileSync('docs/architecture.md', 'utf8');
    const listed = [...doc.matchAll(/^\| *\d+ *\| *`([^`]+)` *\|/gm)].map((m) => m[1]!.replace(/\/$/, ''));
    expect(listed).toEqual([...LAYERS].reverse());
  });
});

describe('the check itself', () => {
  // A throwaway src/ with one import running up and one circle: the check must see both.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ayni-layers-'));
  const write = (file: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write('content/a.ts', "import type { X } from '../store/b.js';\nexport type Y = X;\n");
  write('store/b.ts', "import { c } from './c.js';\nexport type X = number;\nexport const b = c;\n");
  write('store/c.ts', "import { b } from './b.js';\nexport const c = () => b;\n");
  write('extra/d.ts', 'export const d = 1;\n');
  const broken = checkLayers(dir, ['content', 'store']);

  it('finds an upward import, a circle and an unlisted room', () => {
    expect(broken.upward).toEqual([{ from: path.join('content', 'a.ts'), to: path.join('store', 'b.ts') }]);
    expect(broken.circles).toEqual([[path.join('store', 'b.ts'), path.join('store', 'c.ts')]]);
    expect(broken.unlisted).toEqual(['extra']);
  });

  it('keeps LAYERS free of duplicates', () => {
    expect(new Set(LAYERS).size).toBe(LAYERS.length);
  });
});
