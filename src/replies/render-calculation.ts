/** The money calculator's answer, and the re-prompt for a figure that could not be taken. */
import { MONEY_INPUTS, type MoneyInput } from '../content/flow-schema.js';
import type { Language } from '../content/locale-schema.js';
import { calculateMoney, type MoneyFigures } from '../flows/money-calculation.js';
import type { Reply } from '../flows/reply.js';
import type { Wording } from './wording.js';

type CalculationReply = Extract<Reply, { kind: 'calculation' }>;
type AmountRepromptReply = Extract<Reply, { kind: 'amountReprompt' }>;

/** Figures as Bolivians write them: 1.500 and 2,5. */
const figure = new Intl.NumberFormat('es-BO', { maximumFractionDigits: 2 });

/** The figures, then the verdict in words; or, if a figure is missing, a request to start again. */
export function calculationTexts(reply: CalculationReply, lang: Language, w: Wording): string[] {
  const { step, key } = w.stepOf(reply.flow, reply.step);
  if (step.type !== 'calculation') throw new Error(`${reply.flow}/${reply.step} is not a calculation`);
  const figures = completeFigures(reply.figures);
  if (!figures) return [w.common(lang, 'amount.missing')];
  const result = calculateMoney(figures);
  const vars = {
    margin: figure.format(result.margin),
    breakEven: result.breakEven === null ? '' : figure.format(result.breakEven),
    monthly: figure.format(result.monthly),
    months: result.months === null ? '' : figure.format(result.months),
    sales: figure.format(figures.sales),
    capital: figure.format(figures.capital),
  };
  return [
    w.t(lang, key(step.text), vars),
    `${w.t(lang, key(step.verdicts[result.verdict]), vars)}\n${w.common(lang, 'continue')}`,
  ];
}

export function amountRepromptText(reply: AmountRepromptReply, lang: Language, w: Wording): string {
  const { step } = w.stepOf(reply.flow, reply.step);
  if (step.type !== 'number') throw new Error(`${reply.flow}/${reply.step} is not a number step`);
  return w.common(lang, `amount.${reply.problem}`, {
    min: figure.format(step.min),
    max: figure.format(step.max),
  });
}

function completeFigures(typed: Record<string, number>): MoneyFigures | null {
  const entries = MONEY_INPUTS.map((name): [MoneyInput, number | undefined] => [name, typed[name]]);
  if (entries.some(([, value]) => typeof value !== 'number' || !Number.isFinite(value))) return null;
  return Object.fromEntries(entries) as MoneyFigures;
}
