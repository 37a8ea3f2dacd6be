/**
 * Start.COOP module 3's calculator: from a group's own monthly figures, the margin per unit, the
 * break-even quantity, the month's result and how many months the start-up capital lasts while
 * the month loses money. All in bolivianos and units per month.
 */
import type { MoneyInput } from '../content/flow-schema.js';

export type MoneyFigures = Record<MoneyInput, number>;

export type MoneyVerdict = 'loss_per_unit' | 'below_break_even' | 'covers';

export interface MoneyResult {
  /** price minus the cost of one unit */
  margin: number;
  /** units to sell each month to cover the fixed costs; null when a unit leaves no margin */
  breakEven: number | null;
  /** expected sales times the margin, minus the fixed costs */
  monthly: number;
  /** whole months the capital covers the month's loss; null when the month does not lose */
  months: number | null;
  verdict: MoneyVerdict;
}

export function calculateMoney({
  fixed,
  unit_cost: unitCost,
  price,
  sales,
  capital,
}: MoneyFigures): MoneyResult {
  const margin = round(price - unitCost);
  const breakEven = margin > 0 ? Math.ceil(fixed / margin) : null;
  const monthly = round(sales * margin - fixed);
  const months = monthly < 0 ? Math.floor(capital / -monthly) : null;
  const verdict: MoneyVerdict = margin <= 0 ? 'loss_per_unit' : monthly < 0 ? 'below_break_even' : 'covers';
  return { margin, breakEven, monthly, months, verdict };
}

/** Centavos at most, so 0.1 + 0.2 reads 0.3. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}
