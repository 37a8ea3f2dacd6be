/**
 * How many SMS segments one message may cost a learner, per language: one for Spanish, two for
 * Aymara and Quechua, whose words run longer. The content check holds every message to it; the
 * console's Textos page counts against it as a reviewer types.
 */
import type { Language } from './locale-schema.js';

export const SEGMENT_BUDGET: Record<Language, number> = { es: 1, ay: 2, qu: 2 };
