/** The words of a picture: `{{key}}` placeholders in its SVG, filled from the flow's texts. */
const PLACEHOLDER = /\{\{([a-z0-9_.]+)\}\}/g;

/** The placeholders of an SVG template, in order, each once. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? ''))];
}

/** Fills the placeholders with `escape`d texts; an unknown one is left empty. */
export function fillPlaceholders(
  template: string,
  texts: Record<string, string>,
  escape: (text: string) => string,
): string {
  return template.replace(PLACEHOLDER, (_whole, name: string) => escape(texts[name] ?? ''));
}
