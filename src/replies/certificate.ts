/**
 * The certificate a learner gets for finishing Think.COOP on WhatsApp: a PNG drawn on demand
 * from flows/media/certificate.svg, with the course's name, the day it was finished, the
 * completion code and how a coordinator checks it, in the learner's language, and the name the
 * learner gave with NOMBRE (escaped like every text put into the SVG), or none.
 */
import type { Language } from '../content/locale-schema.js';
import type { Course } from '../flows/course.js';
import type { Reply } from '../flows/reply.js';
import type { Translator } from '../i18n/translator.js';
import { fillSvg, svgToPng } from './svg-to-png.js';

export const CERTIFICATE_FILE = 'certificate.svg';

export interface CertificateFacts {
  lang: Language;
  code: string;
  /** YYYY-MM-DD, the day in Bolivia it was earned */
  on: string;
  /** the learner's name (NOMBRE), or null */
  name: string | null;
}

/** The certificate's path for a completion code, before the route's token is added. */
export function certificatePath(lang: Language, code: string): string {
  return `/media/certificate/${lang}/${code}.png`;
}

/** The certificate a reply comes with: the one a learner just earned. */
export function certificatePathOf(reply: Reply, lang: Language): string | null {
  return reply.kind === 'completed' && reply.code ? certificatePath(lang, reply.code) : null;
}

export class Certificates {
  constructor(
    private readonly course: Course,
    private readonly translator: Translator,
    private readonly template: string | undefined,
  ) {}

  /** The filled SVG (what the PNG shows): for tests and for a look at it. */
  svg(facts: CertificateFacts): string {
    if (!this.template) throw new Error(`flows/media/${CERTIFICATE_FILE} is missing`);
    const { lang } = facts;
    const t = (key: string, vars?: Record<string, string>) => this.translator.t(lang, key, vars);
    const section = this.course.completion;
    const [year, month, day] = facts.on.split('-');
    return fillSvg(this.template, {
      heading: t('common:certificate.heading'),
      name: facts.name ?? '',
      completed: t('common:certificate.completed'),
      course: section ? t(section.title) : '',
      date: t('common:certificate.date', { date: `${day}/${month}/${year}` }),
      code: facts.code,
      check: t('common:certificate.check'),
    });
  }

  png(facts: CertificateFacts): Buffer {
    return svgToPng(this.svg(facts));
  }
}
