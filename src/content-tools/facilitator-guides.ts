/**
 * The facilitator guides (locales/facilitator-guides.yaml): one per lesson, read and checked here,
 * written to reports/facilitator-guides.md by `npm run content:report`.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { ContentProblem } from '../content/load-content.js';

export const GUIDES_FILE = 'facilitator-guides.yaml';

const guide = z
  .object({
    goal: z.string().min(1),
    minutes: z.number().int().min(5).max(180),
    activity: z.string().min(1),
    listen: z.string().min(1),
  })
  .strict();
export type FacilitatorGuide = z.infer<typeof guide>;

const guidesFile = z.record(z.string(), guide);

export function readGuides(localesDir: string): {
  guides: Record<string, FacilitatorGuide>;
  problems: ContentProblem[];
} {
  const file = path.join(localesDir, GUIDES_FILE);
  if (!existsSync(file)) return { guides: {}, problems: [] };
  const parsed = guidesFile.safeParse(parse(readFileSync(file, 'utf8')) ?? {});
  if (parsed.success) return { guides: parsed.data, problems: [] };
  return {
    guides: {},
    problems: parsed.error.issues.map((issue) => ({
      file: `locales/${GUIDES_FILE}`,
      key: issue.path.join('.') || '(file)',
      message: issue.message,
    })),
  };
}

/**
 * Every lesson of the course has a guide, and every guide names a lesson. A course with no
 * guides file at all (a test's small course) is not checked.
 */
export function checkGuides(localesDir: string, lessonIds: string[]): ContentProblem[] {
  if (!existsSync(path.join(localesDir, GUIDES_FILE))) return [];
  const { guides, problems } = readGuides(localesDir);
  const file = `locales/${GUIDES_FILE}`;
  for (const id of lessonIds)
    if (!guides[id]) problems.push({ file, key: id, message: 'this lesson has no facilitator guide' });
  for (const id of Object.keys(guides))
    if (!lessonIds.includes(id)) problems.push({ file, key: id, message: 'no lesson has this id' });
  return problems;
}

/** The guides in course order, as Markdown. */
export function guidesMarkdown(
  guides: Record<string, FacilitatorGuide>,
  lessons: { id: string; title: string }[],
): string {
  const parts = ['# Guías para facilitar', ''];
  for (const { id, title } of lessons) {
    const g = guides[id];
    if (!g) continue;
    parts.push(
      `## ${title} (\`${id}\`)`,
      '',
      `- **Objetivo:** ${g.goal}`,
      `- **Tiempo:** ${g.minutes} minutos`,
      `- **Actividad:** ${g.activity}`,
      `- **Escuchar:** ${g.listen}`,
      '',
    );
  }
  return parts.join('\n');
}
