/**
 * The lessons' pictures: a step's SVG (flows/media/) with its words in the learner's language,
 * rendered to PNG the first time it is asked for and then kept in memory (a few milliseconds
 * each, a few dozen in all), so nothing is generated on disk, no build step can be forgotten, and
 * a content deploy shows new pictures on restart. Served by routes/media.ts at pathOf().
 */
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import { placeholdersOf } from '../content/svg-placeholders.js';
import { findStep, qualifyKey, type Course } from '../flows/course.js';
import type { Reply } from '../flows/reply.js';
import type { Translator } from '../i18n/translator.js';
import { fillSvg, svgToPng } from './svg-to-png.js';

/** WhatsApp takes up to 5 MB; a learner on a cheap data plan should pay far less. */
export const PICTURE_MAX_BYTES = 100 * 1024;

/** The public path of a step's picture in a language: /media/<lang>/<flow>/<step>.png. */
export function picturePath(lang: Language, flow: string, step: string): string {
  return `/media/${lang}/${flow}/${step}.png`;
}

/** The path of the picture a reply shows (a step that has one), or null. */
export function picturePathOf(reply: Reply, lang: Language, course: Course): string | null {
  if (reply.kind !== 'step') return null;
  const flow = course.flow(reply.flow);
  const step = flow && findStep(flow, reply.step)?.step;
  return step?.type === 'message' && step.image ? picturePath(lang, reply.flow, reply.step) : null;
}

export class Pictures {
  private readonly rendered = new Map<string, Buffer>();

  constructor(
    private readonly course: Course,
    private readonly translator: Translator,
    private readonly media: Map<string, string>,
  ) {}

  /** Every picture of the course, in every language: for the content check. */
  all(): { lang: Language; flow: string; step: string; file: string }[] {
    const flows = [...this.course.lessons, this.course.assessment];
    return flows.flatMap((flow) =>
      flow.steps.flatMap((step) =>
        step.type === 'message' && step.image
          ? LANGUAGES.map((lang) => ({ lang, flow: flow.id, step: step.id, file: step.image?.file ?? '' }))
          : [],
      ),
    );
  }

  /** The PNG of a step's picture in a language; null when the step has none. */
  png(lang: Language, flowId: string, stepId: string): Buffer | null {
    const key = picturePath(lang, flowId, stepId);
    const cached = this.rendered.get(key);
    if (cached) return cached;
    const flow = this.course.flow(flowId);
    const step = flow && findStep(flow, stepId)?.step;
    const template = step?.type === 'message' && step.image ? this.media.get(step.image.file) : undefined;
    if (!flow || template === undefined) return null;
    const words = Object.fromEntries(
      placeholdersOf(template).map((word) => [word, this.translator.t(lang, qualifyKey(flow.id, word))]),
    );
    const png = svgToPng(fillSvg(template, words));
    this.rendered.set(key, png);
    return png;
  }
}
