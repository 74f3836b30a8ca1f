// Summary statistics used by the outputs.

/** The p-quantile (0 < p ≤ 1) by the nearest-rank method: the smallest value with at least
 * p·n values at or below it. NaN for an empty sample. `values` is left as it is: a typed copy is
 * sorted (natively, several times faster than Array sort with a comparator on the million etcd
 * latencies of a long run's sample). */
export function quantile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil(p * values.length));
  return sorted[rank - 1] as number;
}

/** The median (mean of the two middle values for an even count); NaN for none. `values` is
 * left as it is. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Integrates a piecewise-constant signal over time (time-weighted mean). NaN marks a stretch
 * where the signal is undefined (e.g. a ratio with no denominator): it is left out of the mean. */
export class TimeWeightedMean {
  private area = 0;
  /** Time with a defined value, µs. */
  private spanUs = 0;
  private lastUs: number;

  constructor(startUs: number, private value: number) {
    this.lastUs = startUs;
  }

  /** The signal changes to `value` at `nowUs`. */
  set(nowUs: number, value: number): void {
    if (!Number.isNaN(this.value)) {
      this.area += this.value * (nowUs - this.lastUs);
      this.spanUs += nowUs - this.lastUs;
    }
    this.lastUs = nowUs;
    this.value = value;
  }

  /** The mean up to `endUs`; the current value when no time has passed; NaN when the signal was
   * never defined. */
  mean(endUs: number): number {
    let area = this.area;
    let span = this.spanUs;
    if (!Number.isNaN(this.value)) {
      area += this.value * (endUs - this.lastUs);
      span += endUs - this.lastUs;
    }
    return span > 0 ? area / span : this.value;
  }
}

/** 10^d for the digits fmt formats without toFixed. */
export const SCALES = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000];
const ZEROS = '000000';

/** v × 10^digits when v is exactly that integer over 10^digits (digits ≤ 6, 0 ≤ v < 10^9), else
 * -1. Such a value is written from the integer (fmt, CsvByteWriter.decimal): toFixed gives the
 * same text, since the value is within half an ulp of n·10^-digits, and an ulp is far below
 * 10^-digits under 10^9. */
export function scaledExactly(v: number, digits: number): number {
  if (!(digits <= 6 && v >= 0 && v < 1e9)) return -1;
  const scale = SCALES[digits] as number;
  const n = Math.round(v * scale);
  return n / scale === v ? n : -1;
}

/** Decimal text with at most `digits` fractional digits and no trailing zeros; "" for NaN. */
export function fmt(v: number, digits: number): string {
  if (Number.isNaN(v)) return '';
  // Most decimals of every row are times in µs written as seconds: written from the integer
  // (toFixed was most of a churn's row formatting).
  const n = scaledExactly(v, digits);
  if (n >= 0) {
    const whole = Math.floor(v);
    let frac = n - whole * (SCALES[digits] as number);
    if (frac === 0) return String(whole);
    let width = digits;
    while (frac % 10 === 0) {
      frac /= 10;
      width--;
    }
    const f = String(frac);
    return `${whole}.${f.length < width ? ZEROS.slice(0, width - f.length) : ''}${f}`;
  }
  const s = v.toFixed(digits);
  if (s.indexOf('.') < 0) return s;
  // What s.replace(/\.?0+$/, '') gives, without a regular expression (this formats every
  // decimal of every output row): the trailing zeros, then a '.' left at the end.
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (end === s.length) return s;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}
