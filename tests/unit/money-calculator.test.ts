// The money calculator: figures as Bolivians type them, the calculation, and the answer a group
// reads for three worked cases, on the real lesson (flows/lessons/start-money.yaml).
import { describe, expect, it } from 'vitest';
import { calculateMoney } from '../../src/flows/money-calculation.js';
import { readAmount } from '../../src/reading/amount.js';
import { realContent } from '../support/content.js';

describe('reading a figure', () => {
  it.each([
    ['1500', 1500],
    [' 1500 ', 1500],
    ['1.500', 1500],
    ['1,500', 1500],
    ['12.345.678', 12_345_678],
    ['1.500,50', 1500.5],
    ['1,500.50', 1500.5],
    ['2,5', 2.5],
    ['12.75', 12.75],
    ['Bs 1.200', 1200],
    ['1200 Bs.', 1200],
    ['bs1200', 1200],
    ['1200 bolivianos', 1200],
    ['2 mil', 2000],
    ['0', 0],
    ['１５００', 1500],
  ])('%j is %d', (text, value) => {
    expect(readAmount(text)).toEqual({ value });
  });

  it.each(['-200', '− 5', '-0.5'])('%j is negative', (text) => {
    expect(readAmount(text)).toEqual({ problem: 'negative' });
  });

  it.each([
    '',
    'mil',
    'abc',
    'mucho',
    'quince',
    '15 chompas',
    '1.5.0',
    '1,2,3',
    '1.',
    '1500?',
    '12-3',
    'NaN',
    'Infinity',
  ])('%j is not a figure', (text) => {
    expect(readAmount(text)).toEqual({ problem: 'nan' });
  });
});

describe('the calculation', () => {
  it('the lesson’s worked example: weavers of Achacachi', () => {
    expect(calculateMoney({ fixed: 1200, unit_cost: 40, price: 70, sales: 50, capital: 6000 })).toEqual({
      margin: 30,
      breakEven: 40,
      monthly: 300,
      months: null,
      verdict: 'covers',
    });
  });

  it('sales below break-even: the capital covers the loss for whole months', () => {
    expect(calculateMoney({ fixed: 2000, unit_cost: 5, price: 8, sales: 400, capital: 3000 })).toEqual({
      margin: 3,
      breakEven: 667,
      monthly: -800,
      months: 3,
      verdict: 'below_break_even',
    });
  });

  it('a price under the cost of one unit: every sale loses', () => {
    const result = calculateMoney({ fixed: 500, unit_cost: 60, price: 50, sales: 20, capital: 1000 });
    expect(result).toMatchObject({ margin: -10, breakEven: null, monthly: -700, months: 1 });
    expect(result.verdict).toBe('loss_per_unit');
  });

  it('keeps centavos exact', () => {
    expect(calculateMoney({ fixed: 0, unit_cost: 0.1, price: 0.3, sales: 3, capital: 0 }).monthly).toBe(0.6);
  });
});

describe('the answer a group reads', () => {
  const { render, translator } = realContent();
  const answer = (figures: Record<string, number>) =>
    render({ kind: 'calculation', flow: 'start-money', step: 'result', figures }, 'es');
  const s = (key: string, vars?: Record<string, string>) => translator.t('es', `start-money:${key}`, vars);

  it('dairy producers selling too little: break-even and months, figures written the Bolivian way', () => {
    const [figures, verdict] = answer({ fixed: 2000, unit_cost: 5, price: 8, sales: 400, capital: 3000 });
    expect(figures).toBe(s('result.figures', { margin: '3', monthly: '-800' }));
    expect(verdict).toContain(s('result.below_break_even', { breakEven: '667', sales: '400', months: '3' }));
  });

  it('bakers who cover their costs', () => {
    const [, verdict] = answer({ fixed: 3500, unit_cost: 0.6, price: 1, sales: 12000, capital: 5000 });
    expect(verdict).toContain(s('result.covers', { sales: '12.000', breakEven: '8.750', monthly: '1.300' }));
  });

  it('a price under cost says so, with no break-even', () => {
    const [, verdict] = answer({ fixed: 500, unit_cost: 60, price: 50, sales: 20, capital: 1000 });
    expect(verdict).toContain(s('result.loss_per_unit'));
  });

  it('asks to start again when a figure is missing, never shows a made-up figure', () => {
    expect(answer({ fixed: 2000, price: 8 })).toEqual([translator.t('es', 'common:amount.missing')]);
  });
});
