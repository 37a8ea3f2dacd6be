/**
 * Inline SVG bar charts, drawn on the server: no script, no library, a few hundred bytes each.
 * Horizontal bars with the label above each one, so long lesson titles stay readable on a
 * 360-pixel screen. Each chart is an image with a title and a description for screen readers,
 * and its figures are written beside the bars, so colour is never the only way to read it.
 */
import { html, type Html } from './html.js';

export interface Bar {
  label: string;
  /** 0..max */
  value: number;
  /** what is written after the bar, e.g. "3 de 5" or "80 %" */
  text: string;
}

const WIDTH = 320;
const ROW = 38;
const BAR = 14;

export function barChart(options: {
  id: string;
  title: string;
  description: string;
  bars: Bar[];
  max: number;
}): Html {
  const { id, title, description, bars } = options;
  const max = Math.max(1, options.max);
  const height = bars.length * ROW + 4;
  const track = WIDTH - 64;
  const rows = bars.map((bar, i) => {
    const y = i * ROW;
    const width = Math.max(0, Math.min(1, bar.value / max)) * track;
    return html`<text x="0" y="${y + 13}" class="l">${clip(bar.label, 52)}</text
      ><rect x="0" y="${y + 19}" width="${track}" height="${BAR}" rx="3" class="t" /><rect
        x="0"
        y="${y + 19}"
        width="${width.toFixed(1)}"
        height="${BAR}"
        rx="3"
        class="b"
      /><text x="${track + 6}" y="${y + 31}" class="v">${bar.text}</text>`;
  });
  return html`<svg
    class="chart"
    viewBox="0 0 ${WIDTH} ${height}"
    width="100%"
    role="img"
    aria-labelledby="${id}-t ${id}-d"
  >
    <title id="${id}-t">${title}</title>
    <desc id="${id}-d">${description}</desc>
    ${rows}
  </svg>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
