/**
 * SVG to PNG for the pictures of lessons and the certificate, with resvg and only the fonts
 * bundled in assets/fonts (DejaVu Sans, free licence beside them): no system font is looked
 * up, so a picture renders the same on a laptop, in CI and in the slim Docker image.
 * Texts go into a template through fillSvg, which escapes them: a learner's name or a
 * translation can never add markup to the picture.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import { fillPlaceholders } from '../content/svg-placeholders.js';

// src/replies/ (or dist/src/replies/ when built) -> the repository's assets/fonts.
const here = path.dirname(fileURLToPath(import.meta.url));
const root = here.includes(`${path.sep}dist${path.sep}`)
  ? path.resolve(here, '../../..')
  : path.resolve(here, '../..');
export const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((f) =>
  path.join(root, 'assets/fonts', f),
);
const FONT_FAMILY = 'DejaVu Sans';

/** Renders an SVG at its own size (or `width` pixels wide) to PNG bytes. */
export function svgToPng(svg: string, width?: number): Buffer {
  const resvg = new Resvg(svg, {
    font: { fontFiles: FONT_FILES, loadSystemFonts: false, defaultFontFamily: FONT_FAMILY },
    ...(width ? { fitTo: { mode: 'width' as const, value: width } } : {}),
  });
  return Buffer.from(resvg.render().asPng());
}

/** Fills `{{name}}` placeholders with texts escaped for XML; an unknown name is left empty. */
export function fillSvg(template: string, texts: Record<string, string>): string {
  return fillPlaceholders(template, texts, escapeXml);
}

export function escapeXml(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all are dropped, not escaped.
      // eslint-disable-next-line no-control-regex -- matching control characters is the point
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}
