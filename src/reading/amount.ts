/**
 * A figure as people type it in Bolivia: "1500", "1.500", "1.500,50", "Bs 1500", "1500 bs",
 * "2 mil". Bolivian writing uses the point for thousands and the comma for decimals; a lone point
 * or comma followed by exactly three digits is read as thousands ("1.500" is fifteen hundred), any
 * other as decimals ("2,5", "12.75"). Anything else is not a figure: the learner is asked again.
 */
import type { AmountReading } from '../flows/compile-machine.js';

const CURRENCY = /bolivianos?|bs\.?|\$/g;

export function readAmount(text: string): AmountReading {
  // Not normalizeText: it drops the points, commas and minus signs a figure is made of.
  let plain = text.normalize('NFKC').toLowerCase().replace(CURRENCY, ' ').replace(/\s+/g, ' ').trim();
  let factor = 1;
  const thousands = /^(.*\d)\s*mil$/.exec(plain);
  if (thousands) {
    plain = thousands[1] as string;
    factor = 1000;
  }
  plain = plain.replace(/\s/g, '');
  if (/^[-−]\s*\d/.test(plain)) return { problem: 'negative' };
  if (!/^\d[\d.,]*$/.test(plain) || /[.,]$/.test(plain)) return { problem: 'nan' };
  const value = toNumber(plain);
  return value === null ? { problem: 'nan' } : { value: value * factor };
}

function toNumber(digits: string): number | null {
  const lastPoint = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  let canonical: string;
  if (lastPoint >= 0 && lastComma >= 0) {
    // Both: the later one is the decimal mark, the other separates thousands.
    const decimal = lastComma > lastPoint ? ',' : '.';
    const group = decimal === ',' ? '.' : ',';
    const [whole, fraction, ...rest] = digits.split(decimal);
    if (rest.length || !isGrouped(whole as string, group)) return null;
    canonical = `${(whole as string).split(group).join('')}.${fraction}`;
  } else {
    const mark = lastPoint >= 0 ? '.' : lastComma >= 0 ? ',' : '';
    if (!mark) canonical = digits;
    else if (isGrouped(digits, mark)) canonical = digits.split(mark).join('');
    else if (digits.split(mark).length === 2) canonical = digits.replace(mark, '.');
    else return null;
  }
  const value = Number(canonical);
  return Number.isFinite(value) ? value : null;
}

/** "1.500" or "12.345.678": one to three digits, then groups of exactly three. */
function isGrouped(digits: string, mark: string): boolean {
  const parts = digits.split(mark);
  return (
    parts.length > 1 && /^\d{1,3}$/.test(parts[0] as string) && parts.slice(1).every((p) => /^\d{3}$/.test(p))
  );
}
