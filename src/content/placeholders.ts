/**
 * The placeholders of a text, `{{score}}`, which Ayni fills in when it sends it. A translation must
 * keep exactly the ones of its Spanish source, or the learner sees a hole or a raw `{{…}}`.
 */
const PLACEHOLDER = /\{\{[^{}]*\}\}/g;

/** The placeholders as written, sorted, with repeats (so `{{a}} {{a}}` differs from `{{a}}`). */
export function placeholdersOf(text: string): string[] {
  return (text.match(PLACEHOLDER) ?? []).sort();
}

export function samePlaceholders(a: string, b: string): boolean {
  const pa = placeholdersOf(a);
  const pb = placeholdersOf(b);
  return pa.length === pb.length && pa.every((p, i) => p === pb[i]);
}
