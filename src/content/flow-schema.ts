/**
 * The schema of a flow file (flows/**\/*.yaml). A flow is a lesson or the feasibility
 * assessment, written as data by trainers. Every piece of text is an i18n key, never prose:
 * the words live in locales/<lang>/<namespace>.yaml.
 *
 * A key is `name` (looked up in the flow's own namespace, which is the flow's id) or
 * `namespace:name` (e.g. `common:scale.yes`) to share text between flows.
 */
import { z } from 'zod';

const idPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const flowId = z
  .string()
  .regex(idPattern, 'use lowercase words joined by dashes, e.g. what-is-a-cooperative');
/** Steps that the compiler adds to every flow: no authored step may use these ids. */
export const RESERVED_STEP_IDS = ['resume', 'done', 'end'];

export const stepId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lowercase letters, digits, _ or -');
/**
 * Where a step leads once answered: another step's id, or `end` to finish the flow. Without it,
 * the next step in the list (or the end, after the last one).
 */
const next = stepId.optional();
export const textKey = z
  .string()
  .regex(/^(?:[a-z0-9-]+:)?[a-z0-9_]+(?:\.[a-z0-9_]+)*$/, 'an i18n key such as intro or common:scale.yes');

/** The figures the money calculation uses (src/flows/money-calculation.ts). */
export const MONEY_INPUTS = ['fixed', 'unit_cost', 'price', 'sales', 'capital'] as const;
export type MoneyInput = (typeof MONEY_INPUTS)[number];

/**
 * A picture that teaches: an SVG under flows/media/ (its words as `{{key}}` placeholders, looked
 * up in the flow's own texts), and `alt`, the text that says what it shows. Sent on WhatsApp as a
 * PNG with the step's text as its caption; SMS gets the text alone.
 */
export const stepImage = z
  .object({
    file: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*\.svg$/, 'an SVG file in flows/media/, e.g. break-even.svg'),
    alt: textKey,
  })
  .strict();

/** A bite of reading: any reply moves the learner on. */
export const messageStep = z
  .object({
    id: stepId,
    type: z.literal('message'),
    text: textKey,
    image: stepImage.optional(),
    next,
  })
  .strict();

/** A quiz question with numbered options and one right answer. */
export const questionStep = z
  .object({
    id: stepId,
    type: z.literal('question'),
    text: textKey,
    options: z.array(textKey).min(2).max(5),
    /** The right option, counted from 1 as the learner sees it. */
    answer: z.number().int().min(1),
    /** Why the right answer is right: shown after a right answer and when the answer is revealed. */
    explanation: textKey,
    /** A nudge shown after a wrong answer, before the learner tries again. */
    hint: textKey.optional(),
    next,
  })
  .strict()
  .refine((step) => step.answer <= step.options.length, {
    message: 'answer must be the number of one of the options',
    path: ['answer'],
  });

/** A self-assessment question: each option carries points for one area. */
export const ratingStep = z
  .object({
    id: stepId,
    type: z.literal('rating'),
    area: stepId,
    text: textKey,
    next,
    options: z
      .array(z.object({ text: textKey, points: z.number().int().min(0).max(10) }).strict())
      .min(2)
      .max(5),
  })
  .strict();

/**
 * A figure the learner types (bolivianos, units), kept under `store` for a later calculation
 * step. Anything else, or a figure outside min..max, gets a re-prompt that says why; the figure
 * is asked again and nothing moves on.
 */
export const numberStep = z
  .object({
    id: stepId,
    type: z.literal('number'),
    text: textKey,
    /** the name the figure is kept under, one of the calculation's inputs */
    store: z.enum(MONEY_INPUTS),
    min: z.number().min(0),
    max: z.number().positive(),
    next,
  })
  .strict()
  .refine((step) => step.min < step.max, { message: 'min must be below max', path: ['min'] });

/**
 * The calculation of the figures kept by earlier number steps, shown as the step's text (its
 * figures) and one of its verdicts. The formulas are in src/flows/money-calculation.ts.
 */
export const calculationStep = z
  .object({
    id: stepId,
    type: z.literal('calculation'),
    calculation: z.literal('money'),
    /** the figures: {{margin}}, {{monthly}}, {{breakEven}}, {{months}}, {{sales}}, {{capital}} */
    text: textKey,
    verdicts: z
      .object({
        /** the price does not cover the cost of one unit */
        loss_per_unit: textKey,
        /** each unit leaves a margin, but the expected sales do not cover the fixed costs */
        below_break_even: textKey,
        /** the expected sales cover the costs */
        covers: textKey,
      })
      .strict(),
    next,
  })
  .strict();

const common = {
  id: flowId,
  /** Raise it whenever steps change; sessions saved under an older version are migrated. */
  version: z.number().int().min(1),
  title: textKey,
  /**
   * The flow's name as an item of a WhatsApp list, at most 24 characters in every language
   * (src/content/whatsapp-limits.ts); needed only when the title is longer.
   */
  label: textKey.optional(),
  /**
   * Where a learner who stood on a step that no longer exists should go: old step id -> new
   * step id. Without an entry they resume at the step that now holds the old step's position.
   */
  formerSteps: z.record(stepId, stepId).optional(),
};

export const lessonFlow = z
  .object({
    ...common,
    kind: z.literal('lesson'),
    steps: z
      .array(z.discriminatedUnion('type', [messageStep, questionStep, numberStep, calculationStep]))
      .min(1),
  })
  .strict();

export const assessmentArea = z
  .object({
    id: stepId,
    label: textKey,
    /** What to do next when this area comes out weak. */
    advice: textKey,
  })
  .strict();

export const assessmentFlow = z
  .object({
    ...common,
    kind: z.literal('assessment'),
    areas: z.array(assessmentArea).min(1),
    steps: z.array(z.discriminatedUnion('type', [messageStep, ratingStep])).min(1),
  })
  .strict();

export const flowFile = z.discriminatedUnion('kind', [lessonFlow, assessmentFlow]);

/** A part of the course offered as one numbered list of lessons, e.g. Think.COOP. */
export const courseSection = z
  .object({
    id: flowId,
    /** the list's heading, a key such as common:sections.think_coop */
    title: textKey,
    /** lesson ids (the assessment may be listed too), in the order offered */
    lessons: z.array(flowId).min(1),
  })
  .strict();

/**
 * flows/course.yaml: the sections the menu offers, the assessment, and which section earns a
 * completion code. The menu is: 1 the first section, 2 the assessment, then the other sections,
 * then progress and help (locales/<lang>/common.yaml `menu` must list them in that order).
 */
export const courseFile = z
  .object({
    version: z.number().int().min(1),
    /** lessons per list message: small enough for one SMS */
    pageSize: z.number().int().min(1).max(9).default(4),
    sections: z.array(courseSection).min(1).max(4),
    assessment: flowId,
    /** the section whose every lesson, once finished, earns a completion code */
    completion: flowId.optional(),
  })
  .strict();

export type MessageStep = z.infer<typeof messageStep>;
export type StepImage = z.infer<typeof stepImage>;
export type QuestionStep = z.infer<typeof questionStep>;
export type RatingStep = z.infer<typeof ratingStep>;
export type NumberStep = z.infer<typeof numberStep>;
export type CalculationStep = z.infer<typeof calculationStep>;
export type LessonFlow = z.infer<typeof lessonFlow>;
export type AssessmentFlow = z.infer<typeof assessmentFlow>;
export type Flow = z.infer<typeof flowFile>;
export type Step = Flow['steps'][number];
export type Course = z.infer<typeof courseFile>;
export type CourseSection = z.infer<typeof courseSection>;
