/**
 * Server-rendered HTML with template literals: `html` escapes every interpolated value unless it
 * is already Html (made by `html` itself or `raw`), so user text and names can never open a tag.
 * Arrays are joined; null, undefined and false render nothing.
 */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  return escapeHtml(String(part));
}

// The templates' own text (never a value) without the source's indentation: a newline and the
// spaces after it render as one space in HTML flow anyway, and pages travel over slow links.
// Whitespace-sensitive content (a textarea's text, chat bubbles) always comes in as a value.
const compacted = new WeakMap<TemplateStringsArray, string[]>();

function compact(strings: TemplateStringsArray): string[] {
  let parts = compacted.get(strings);
  if (!parts) {
    parts = strings.map((s) => s.replace(/\n[ \t]+/g, '\n'));
    compacted.set(strings, parts);
  }
  return parts;
}

export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  const parts = compact(strings);
  let out = parts[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (parts[i + 1] ?? '');
  });
  return new Html(out);
}

/** Text known to be safe markup (constants written here, never user input). */
export function raw(text: string): Html {
  return new Html(text);
}

/** JSON for a <script type="application/json"> block: `<` escaped so it cannot close the tag. */
export function jsonScript(id: string, value: unknown): Html {
  const json = JSON.stringify(value).replace(/</g, '\\u003c');
  return raw(`<script type="application/json" id="${escapeHtml(id)}">${json}</script>`);
}
