/**
 * The schema of a locale file (locales/<lang>/<namespace>.yaml).
 *
 * Spanish is the source language: its leaves are plain strings. Aymara and Quechua leaves carry
 * their review status beside the text, so a native speaker can find what still needs checking
 * and nobody mistakes a draft for checked text:
 *
 *   intro:
 *     text: "Kamisaki? ..."
 *     status: draft          # draft | reviewed
 *     reviewer: null         # who reviewed it (required when reviewed)
 *     note: "why this wording, doubts for the reviewer"
 *
 * Keys nest with YAML maps; `a: { b: ... }` is the key `a.b`. A map with a `status` field is one
 * text with its review status, so no key may be called `status`. A text's values are written as
 * placeholders, `{{score}}`, filled in by src/i18n/translator.ts; other i18next syntax (`$t(…)`
 * nesting, `{{- x}}`, formats, plural keys) is not read.
 */
import { z } from 'zod';

export const LANGUAGES = ['es', 'ay', 'qu'] as const;
export type Language = (typeof LANGUAGES)[number];
export const SOURCE_LANGUAGE: Language = 'es';

export const reviewStatus = z.enum(['draft', 'reviewed']);
export type ReviewStatus = z.infer<typeof reviewStatus>;

export const reviewedText = z
  .object({
    text: z.string().min(1),
    status: reviewStatus,
    reviewer: z.string().min(1).nullable().optional(),
    note: z.string().optional(),
  })
  .strict()
  .refine((leaf) => leaf.status !== 'reviewed' || !!leaf.reviewer, {
    message: 'a reviewed text must name its reviewer',
    path: ['reviewer'],
  });
export type ReviewedText = z.infer<typeof reviewedText>;

/** locales/<lang>/words.yaml: the words learners type, per meaning. Read by the answer parser. */
export const wordList = z.union([
  z.array(z.string().min(1)),
  z.object({ words: z.array(z.string().min(1)), status: reviewStatus, note: z.string().optional() }).strict(),
]);
export const wordsFile = z
  .object({
    /** Keywords that work at any point. */
    menu: wordList,
    help: wordList,
    language: wordList,
    stop: wordList,
    start: wordList,
    delete: wordList,
    /** Group members: `UNIRME <code>` joins a group, `SALIR` leaves it. */
    join: wordList,
    leave: wordList,
    /** Coordinators' commands: `GRUPO <name>`, `QUIZ <code> <lesson>`, `AVISO <code> <text>`. */
    group: wordList.default([]),
    quiz: wordList.default([]),
    notice: wordList.default([]),
    /** `CORREGIR <how they would say it>`: a learner's suggestion for the text they last received. */
    correct: wordList.default([]),
    /** `NOMBRE <name>`: the name to put on the learner's certificate. */
    name: wordList.default([]),
    /** yes / no, for questions whose options are yes and no. */
    yes: wordList,
    no: wordList,
    /** numbers[0] are the words for 1, numbers[1] for 2, ... */
    numbers: z.array(wordList).min(5),
  })
  .strict();
export type WordsFile = z.infer<typeof wordsFile>;
