// Confidence intervals of a change in the mean for `ksim compare` of two sweeps: paired (the same
// seeds on both sides), Student's t interval of the mean per-seed difference; unpaired, Welch's
// interval of the difference of the two means. No resampling: the same inputs give the same
// interval everywhere.
//
// Why the mean and t, not the median and a percentile bootstrap (what compare used before): a
// gate must see a regression that hits a minority of seeds (19 of 40 seeds 5 pods worse moves the
// mean by +2.375 and the median by 0), and a percentile bootstrap of n values is too narrow at
// small n (its spread is the plug-in sd, √((n−1)/n) of the sample sd, with normal instead of t
// quantiles): 3 same-signed differences always exclude 0, and under pure noise it called 52 % of
// 2-pair and 25 % of 3-pair comparisons significant. The t interval covers 95 % exactly for
// normal differences at every n ≥ 2 (intervals.test.ts measures 5 % false alarms at 2 … 20
// pairs); for other noise it is close, the mean being nearly normal well before 40 seeds: the
// README's table gives the rates measured for uniform, Laplace, discrete and skewed noise.
//
// One case t cannot judge: no spread at all (every pair changed by the same amount, or each side
// of an unpaired comparison is constant), where its interval has zero width whatever n is.
// Metrics that are counts do that (pods_unbound_end +5 on every seed), and two pairs both +5 are
// 1 time in 2 what noise of ±5 gives. There the exact permutation probability decides: n
// same-signed equal differences come from a sign-symmetric null with probability 2 / 2^n (under
// 0.05 from 6 pairs), two constant samples of n_b and n_c from one population with at most
// 2 / C(n_b + n_c, n_b) (under 0.05 from 4 runs a side, or 3 and 5, or 2 and 8); below that the
// change is not significant and has no interval.
// References: Student (1908); Welch, Biometrika 34 (1947); Fisher's randomization test, The
// Design of Experiments (1935), §21; incomplete beta by continued fraction as in Press et al.,
// Numerical Recipes, 3rd ed., §6.4; log-gamma by Lanczos (g = 7, 9 terms).

/** A change in the mean (candidate − base) with its interval. */
export interface MeanChange {
  /** The mean per-seed difference (paired) or the difference of the means (unpaired). */
  readonly difference: number;
  /** The interval: null when there is none (one value a side, or no spread and too few values
   * for the permutation probability to reach the level). */
  readonly low: number | null;
  readonly high: number | null;
  /** The interval excludes 0. */
  readonly significant: boolean;
}

/** Values that differ by less than this fraction of the largest |value| are equal: CSV numbers
 * with 6 decimals leave rounding noise near 1e-16 of the value in their differences. */
const EQUAL_RELATIVE = 1e-12;

/** The mean. NaN for none. */
export function mean(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/** The sample variance (n − 1 in the denominator). */
function variance(values: readonly number[], m: number): number {
  let s = 0;
  for (const v of values) s += (v - m) * (v - m);
  return s / (values.length - 1);
}

function largestAbs(...samples: (readonly number[])[]): number {
  let m = 0;
  for (const s of samples) for (const v of s) m = Math.max(m, Math.abs(v));
  return m;
}

function spread(values: readonly number[]): number {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return values.length === 0 ? 0 : hi - lo;
}

/** The `level` (e.g. 0.95) interval of the mean of the per-pair differences candidate[i] −
 * base[i]: Student's t with n − 1 degrees of freedom. */
export function pairedMeanChange(base: readonly number[], candidate: readonly number[], level = 0.95): MeanChange | null {
  const n = base.length;
  if (n !== candidate.length) throw new Error(`pairedMeanChange: ${n} base values, ${candidate.length} candidate values`);
  if (n === 0) return null;
  const d = candidate.map((c, i) => c - base[i]!);
  const m = mean(d);
  if (n === 1) return { difference: m, low: null, high: null, significant: false };
  const tol = EQUAL_RELATIVE * largestAbs(base, candidate);
  if (spread(d) <= tol) return constantChange(Math.abs(m) <= tol ? 0 : m, 2 / 2 ** n, level);
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance(d, m) / n);
  return interval(m, half);
}

/** The `level` interval of mean(candidate) − mean(base), the samples independent: Welch's t
 * with the Welch–Satterthwaite degrees of freedom. */
export function welchMeanChange(base: readonly number[], candidate: readonly number[], level = 0.95): MeanChange | null {
  const nb = base.length;
  const nc = candidate.length;
  if (nb === 0 || nc === 0) return null;
  const mb = mean(base);
  const mc = mean(candidate);
  const diff = mc - mb;
  if (nb < 2 || nc < 2) return { difference: diff, low: null, high: null, significant: false };
  const tol = EQUAL_RELATIVE * largestAbs(base, candidate);
  if (spread(base) <= tol && spread(candidate) <= tol) return constantChange(Math.abs(diff) <= tol ? 0 : diff, 2 / binomial(nb + nc, nb), level);
  const vb = variance(base, mb) / nb;
  const vc = variance(candidate, mc) / nc;
  const df = (vb + vc) ** 2 / (vb ** 2 / (nb - 1) + vc ** 2 / (nc - 1));
  return interval(diff, studentTQuantile(1 - (1 - level) / 2, df) * Math.sqrt(vb + vc));
}

function interval(m: number, half: number): MeanChange {
  const low = m - half;
  const high = m + half;
  return { difference: m, low, high, significant: low > 0 || high < 0 };
}

/** No spread: the change is `d` exactly on every pair (or between two constant samples); it is
 * significant when noise would give it with probability `p` ≤ 1 − level. */
function constantChange(d: number, p: number, level: number): MeanChange {
  if (d === 0) return { difference: 0, low: 0, high: 0, significant: false };
  return p <= 1 - level + 1e-12 ? { difference: d, low: d, high: d, significant: true } : { difference: d, low: null, high: null, significant: false };
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
}

/** The p-quantile of Student's t distribution with `df` > 0 degrees of freedom (df need not be
 * an integer). Bisection on the tail probability, to within 1e-12 relative. */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) return NaN;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  const tail = 1 - p;
  let lo = 0;
  let hi = 2;
  while (studentTUpperTail(hi, df) > tail) {
    lo = hi;
    hi *= 2;
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (studentTUpperTail(mid, df) > tail) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** P(T > t) for t ≥ 0: ½ I_{df/(df+t²)}(df/2, ½). */
export function studentTUpperTail(t: number, df: number): number {
  return 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** I_x(a, b), the regularized incomplete beta function. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); else use the symmetry.
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(x, a, b)) / a : 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Lentz's method for the continued fraction of I_x(a, b). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

const LANCZOS = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let s = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) s += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}
