/** How a lesson step looks as a message, and the feedback on an answer to it. */
import type { Language } from '../content/locale-schema.js';
import type { Reply } from '../flows/reply.js';
import type { Wording } from './wording.js';

type StepReply = Extract<Reply, { kind: 'step' }>;
type FeedbackReply = Extract<Reply, { kind: 'right' | 'wrong' | 'reveal' | 'reprompt' }>;

/**
 * The step's text with its options numbered, or with "send 1 to go on" (said once, after the last
 * of the message steps sent together in one turn).
 */
export function stepText(reply: StepReply, lang: Language, { t, common, stepOf }: Wording): string {
  const { step, key } = stepOf(reply.flow, reply.step);
  if (step.type === 'message') {
    const text = t(lang, key(step.text));
    return reply.joined
      ? text
      : `${text}
${common(lang, 'continue')}`;
  }
  if (step.type === 'calculation')
    return `${t(lang, key(step.text))}
${common(lang, 'continue')}`;
  // A figure to type: the question says what to send.
  if (step.type === 'number') return t(lang, key(step.text));
  const optionKeys = step.type === 'question' ? step.options : step.options.map((o) => o.text);
  const options = optionKeys.map((k, i) =>
    common(lang, 'question_options', { number: i + 1, option: t(lang, key(k)) }),
  );
  return [t(lang, key(step.text)), ...options].join('\n');
}

export function feedbackText(reply: FeedbackReply, lang: Language, w: Wording): string {
  const { t, common } = w;
  const { step, key } = w.stepOf(reply.flow, reply.step);
  if (step.type === 'message' || step.type === 'calculation') return common(lang, 'reprompt.continue');
  if (step.type === 'number') return common(lang, 'amount.nan');
  if (reply.kind === 'reprompt' || step.type === 'rating') {
    return common(lang, 'reprompt.choice', { choices: w.choices(lang, step.options.length) });
  }
  const explanation = t(lang, key(step.explanation));
  if (reply.kind === 'right') return common(lang, 'right', { explanation });
  if (reply.kind === 'reveal') return common(lang, 'reveal', { number: step.answer, explanation });
  return tidy(common(lang, 'wrong', { hint: step.hint ? t(lang, key(step.hint)) : '' }));
}

const tidy = (text: string) => text.replace(/ {2,}/g, ' ').trim();
