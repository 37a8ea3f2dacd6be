/**
 * WhatsApp's interactive messages, made from the course: a quick reply (up to 3 buttons) or a list
 * (up to 10 items) for the language choice, the menu, each page of lessons and each question, per
 * language. `npm run whatsapp:sync` creates them as Twilio Content resources, by these names; a
 * turn that ends on one of these replies sends it with the rendered text as the body ({{1}}).
 *
 * Every button's id is `<the message's name>.<the number a learner would type>`: the number reads
 * exactly like a typed answer, and the name says which message the button was on, because WhatsApp
 * keeps old messages' buttons tappable (src/reading/tapped-answer.ts). A label comes from the
 * course; an option text too long for a label gets its number as the label (its full text is in
 * the body, which is today's numbered text).
 */
import { LANGUAGES, type Language } from '../content/locale-schema.js';
import {
  fitsLabel,
  LIST_MAX_ITEMS,
  QUICK_REPLY_MAX_BUTTONS,
  WHATSAPP_LIMITS,
} from '../content/whatsapp-limits.js';
import { findStep, qualifyKey, type AnyFlow, type Course } from '../flows/course.js';
import { menuItems } from '../flows/machine/menu.js';
import type { Reply } from '../flows/reply.js';
import type { Wording } from './wording.js';

export interface Choice {
  /** the number a learner would type; a tap sends it back after the message's name */
  id: string;
  title: string;
  description?: string;
}

/** One Content resource as the Content API takes it (friendly_name, language, variables, types). */
export interface InteractiveContent {
  /** stable: `ayni_<lang>_<what>`; the sync finds the resource by it */
  name: string;
  language: Language;
  variables: Record<string, string>;
  types: Record<string, object>;
}

const PREFIX = 'ayni_';
/** Every friendly name the sync owns starts with this; it never touches other resources. */
export const CONTENT_NAME_PREFIX = PREFIX;
const BODY = '{{1}}';
/** Twilio's longest id of a quick-reply button or a list item. */
export const TAP_ID_MAX = 200;

/** The Content resource a reply is sent as on WhatsApp, by name; null for plain text. */
export function interactiveNameOf(reply: Reply, lang: Language, course: Course): string | null {
  switch (reply.kind) {
    case 'text':
      if (reply.key === 'choose_language') return `${PREFIX}${lang}_language`;
      if (reply.key === 'menu') return `${PREFIX}${lang}_menu`;
      return null;
    case 'lessons':
      return `${PREFIX}${lang}_lessons_${reply.section}_${reply.page + 1}`;
    case 'step': {
      const flow = course.flow(reply.flow);
      const step = flow && findStep(flow, reply.step)?.step;
      return !step || (step.type !== 'question' && step.type !== 'rating')
        ? null
        : `${PREFIX}${lang}_q_${reply.flow}_${reply.step}`;
    }
    default:
      return null;
  }
}

/** Every interactive message of the course, in every language. */
export function courseInteractives(w: Wording): InteractiveContent[] {
  return LANGUAGES.flatMap((lang) => [
    content(`${PREFIX}${lang}_language`, lang, languageChoices(w), w),
    content(`${PREFIX}${lang}_menu`, lang, menuChoices(lang, w), w, 'list'),
    ...lessonPages(lang, w),
    ...questions(lang, w),
  ]);
}

/** A message's resource: its choices as buttons (a list when they are too many, or `asList`). */
function content(
  name: string,
  language: Language,
  choices: Choice[],
  w: Wording,
  asList?: 'list',
): InteractiveContent {
  const named = choices.map((choice) => ({ ...choice, id: tapIdOf(name, choice.id) }));
  const types = asList ? list(named, language, w) : buttonsOrList(named, language, w);
  return { name, language, variables: { '1': 'Ayni' }, types };
}

/** What tapping option `number` of message `name` sends back (read in src/reading/tapped-answer.ts). */
export function tapIdOf(name: string, number: string): string {
  const id = `${name}.${number}`;
  if (id.length > TAP_ID_MAX) throw new Error(`button id ${id} is longer than ${TAP_ID_MAX} characters`);
  return id;
}

function languageChoices(w: Wording): Choice[] {
  return LANGUAGES.map((lang, i) => ({ id: String(i + 1), title: w.common(lang, 'whatsapp.language_name') }));
}

function menuChoices(lang: Language, w: Wording): Choice[] {
  const { course, t, common } = w;
  return menuItems(course).map((item, i) => {
    const id = String(i + 1);
    switch (item.kind) {
      case 'section':
        return { id, title: t(lang, item.section.title) };
      case 'assessment':
        return flowChoice(id, course.assessment, lang, w);
      case 'progress':
        return { id, title: common(lang, 'whatsapp.progress') };
      case 'help':
        return { id, title: common(lang, 'whatsapp.help') };
    }
  });
}

/** A lesson as a list item: its short label, with its full title below when they differ. */
function flowChoice(id: string, flow: AnyFlow, lang: Language, { t }: Wording): Choice {
  const title = t(lang, qualifyKey(flow.id, flow.title));
  const label = flow.label ? t(lang, qualifyKey(flow.id, flow.label)) : title;
  return label === title ? { id, title } : { id, title: label, description: cut(title) };
}

function lessonPages(lang: Language, w: Wording): InteractiveContent[] {
  return w.course.sections.flatMap((section) => {
    let number = 0;
    return section.pages.map((page, p) => {
      const choices = page.map((flow) => flowChoice(String(++number), flow, lang, w));
      if (section.pages.length > 1) choices.push({ id: '0', title: w.common(lang, 'whatsapp.more') });
      return content(`${PREFIX}${lang}_lessons_${section.id}_${p + 1}`, lang, choices, w, 'list');
    });
  });
}

function questions(lang: Language, w: Wording): InteractiveContent[] {
  const flows = [...w.course.lessons, w.course.assessment];
  return flows.flatMap((flow) =>
    flow.steps.flatMap((step) => {
      if (step.type !== 'question' && step.type !== 'rating') return [];
      const keys = step.type === 'question' ? step.options : step.options.map((o) => o.text);
      const texts = keys.map((k) => w.t(lang, qualifyKey(flow.id, k)));
      const name = `${PREFIX}${lang}_q_${flow.id}_${step.id}`;
      return [content(name, lang, optionChoices(texts), w)];
    }),
  );
}

/** Options as labels when every one fits, else their numbers (the body has the full texts). */
function optionChoices(texts: string[]): Choice[] {
  const limit = texts.length <= QUICK_REPLY_MAX_BUTTONS ? 'quickReplyTitle' : 'listItem';
  const allFit = texts.every((text) => fitsLabel(text, limit));
  return texts.map((text, i) => {
    const id = String(i + 1);
    if (allFit) return { id, title: text };
    return limit === 'listItem' ? { id, title: id, description: cut(text) } : { id, title: id };
  });
}

function buttonsOrList(choices: Choice[], lang: Language, w: Wording): Record<string, object> {
  if (choices.length > QUICK_REPLY_MAX_BUTTONS) return list(choices, lang, w);
  return {
    'twilio/quick-reply': { body: BODY, actions: choices.map(({ id, title }) => ({ id, title })) },
  };
}

function list(choices: Choice[], lang: Language, w: Wording): Record<string, object> {
  if (choices.length > LIST_MAX_ITEMS) throw new Error(`a WhatsApp list holds ${LIST_MAX_ITEMS} items`);
  return {
    'twilio/list-picker': {
      body: BODY,
      button: w.common(lang, 'whatsapp.button'),
      items: choices.map(({ id, title, description }) => ({
        id,
        item: title,
        ...(description ? { description } : {}),
      })),
    },
  };
}

/** A description cut to WhatsApp's 72 characters, with an ellipsis when it was cut. */
function cut(text: string): string {
  const chars = [...text];
  const max = WHATSAPP_LIMITS.listDescription;
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
