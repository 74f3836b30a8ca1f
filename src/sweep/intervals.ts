// Confidence intervals of a change for `ksim compare` of two sweeps. Paired (the same seeds on
// both sides): from 6 pairs, the exact sign-flip (randomization) test of the mean per-seed
// difference and the interval it inverts to; below 6, Student's t interval. Unpaired: Welch's
// interval of the difference of the two means. The same inputs give the same interval everywhere.
//
// Why the mean, not the median (what compare used first): a gate must see a regression that hits
// a minority of seeds (19 of 40 seeds 5 pods worse moves the mean by +2.375 and the median by 0).
//
// Why the sign-flip test and not t from 6 pairs: t assumes the differences are normal, and the
// metrics a gate bounds are often skewed counts. Pods unbound at the end, 10 seeds, differences
// 0, 1, 0, 0, 5, 5, 19, 3, 3, 0 (worse on 6, better on none): the 19 widens t's interval to
// [−0.53, +7.73] and a `pods_unbound_end:+1` gate passed. With no change, a seed's two runs are
// exchangeable, so its difference is as likely +x as −x: the 2^n sign patterns of the n
// differences are equally likely, and the share whose sum is at least the observed one is an
// exact p-value whatever the noise's shape (Fisher's randomization test). Here only the all-plus
// pattern of the six non-zero differences reaches 36 (16 of 1,024 patterns with the zeros'
// signs), p = 2 × 16/1024 = 0.031: significant. Its interval (every shift θ the test at θ does
// not reject) has as ends order statistics of the subset means (Hartigan 1969): the test at θ
// counts the subsets whose mean is ≤ θ, so with c = ⌊2.5 % × 2^n⌋ the interval runs from the
// c-th smallest to the c-th largest of the 2^n − 1 subset means and excludes 0 exactly when the
// test rejects. c is 0 below 6 pairs (2/2^5 > 5 %): no pattern is rare enough, so there t decides
// (exact for normal noise, not otherwise: the README's table). Up to 16 pairs every subset is
// enumerated; above, 65,535 subsets drawn from a fixed-seed stream (a Monte Carlo randomization
// test, still of exact level: p = (1 + extreme draws) / (draws + 1)).
//
// One case t cannot judge: no spread at all (every pair changed by the same amount, or each side
// of an unpaired comparison is constant), where its interval has zero width whatever n is.
// Paired, that is the sign-flip rule's case too: n equal differences are significant from 6
// pairs (2 / 2^n); unpaired, two constant samples of n_b and n_c from one population with at most
// 2 / C(n_b + n_c, n_b) (under 0.05 from 4 runs a side, or 3 and 5, or 2 and 8); below that the
// change is not significant and has no interval.
// References: Student (1908); Welch, Biometrika 34 (1947); Fisher's randomization test, The
// Design of Experiments (1935), §21; Hartigan, "Using subsample values as typical values",
// JASA 64 (1969); incomplete beta by continued fraction as in Press et al., Numerical Recipes,
// 3rd ed., §6.4; log-gamma by Lanczos (g = 7, 9 terms).
import { RandomStreams } from '../engine/random.js';

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
  /** What judged it: paired, the sign-flip test (from 6 pairs, and n equal differences) or
   * Student t (2–5 pairs); unpaired, Welch's t or, two constant sides, the permutation
   * probability. */
  readonly method: 'sign-flip' | 'student-t' | 'welch-t' | 'permutation';
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

/** The `level` (e.g. 0.95) interval of the change in the per-pair differences candidate[i] −
 * base[i], and their mean: from SIGN_FLIP_MIN_PAIRS pairs the sign-flip test's, below Student's
 * t with n − 1 degrees of freedom. */
export function pairedMeanChange(base: readonly number[], candidate: readonly number[], level = 0.95): MeanChange | null {
  const n = base.length;
  if (n !== candidate.length) throw new Error(`pairedMeanChange: ${n} base values, ${candidate.length} candidate values`);
  if (n === 0) return null;
  const d = candidate.map((c, i) => c - base[i]!);
  const m = mean(d);
  if (n === 1) return { difference: m, low: null, high: null, significant: false, method: 'student-t' };
  const tol = EQUAL_RELATIVE * largestAbs(base, candidate);
  if (spread(d) <= tol) return constantChange(Math.abs(m) <= tol ? 0 : m, 2 / 2 ** n, level, n >= SIGN_FLIP_MIN_PAIRS ? 'sign-flip' : 'student-t');
  if (n >= SIGN_FLIP_MIN_PAIRS) {
    // Differences within rounding noise of 0 are 0: their sign is noise.
    for (let i = 0; i < n; i++) if (Math.abs(d[i]!) <= tol) d[i] = 0;
    return signFlipChange(d, mean(d), level, tol);
  }
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * Math.sqrt(variance(d, m) / n);
  return interval('student-t', m, half);
}

/** Pairs from which the paired change is judged by the sign-flip test (below, t): the fewest
 * whose all-same-sign pattern is rare enough, 2 / 2^6 ≤ 5 %. */
export const SIGN_FLIP_MIN_PAIRS = 6;
/** Up to this many pairs every subset is enumerated; above, RANDOM_SUBSETS are drawn. */
const EXACT_SUBSETS_MAX_PAIRS = 16;
const RANDOM_SUBSETS = 65_535;

/** The sign-flip test's interval for the differences `d` (mean `m`): the c-th smallest and
 * c-th largest subset mean, c = ⌊(1 − level)/2 × patterns⌋ less the draws of no subset (those
 * count as extreme on both sides); none when c < 1. Subset means within `tol` of 0 are 0 (0.3 −
 * 0.1 − 0.2 is 2.8e-17 in floating point, not a rise). */
function signFlipChange(d: readonly number[], m: number, level: number, tol: number): MeanChange {
  const { means, patterns, empty } = subsetMeans(d);
  const c = Math.floor(((1 - level) / 2) * patterns + 1e-9) - empty;
  if (c < 1) return { difference: m, low: null, high: null, significant: false, method: 'sign-flip' };
  for (let i = 0; i < means.length; i++) if (Math.abs(means[i]!) <= tol) means[i] = 0;
  means.sort();
  return interval('sign-flip', m, 0, means[c - 1]!, means[means.length - c]!);
}

/** The means of the non-empty subsets of `d`: all 2^n − 1 (patterns 2^n) up to
 * EXACT_SUBSETS_MAX_PAIRS values; above, RANDOM_SUBSETS subsets each holding every value with
 * probability ½ from a fixed-seed stream (patterns RANDOM_SUBSETS + 1, the observed pattern
 * counting as one), `empty` of the draws holding none. */
function subsetMeans(d: readonly number[]): { means: Float64Array; patterns: number; empty: number } {
  const n = d.length;
  if (n <= EXACT_SUBSETS_MAX_PAIRS) {
    const total = 2 ** n;
    const sums = new Float64Array(total);
    const sizes = new Uint8Array(total);
    const means = new Float64Array(total - 1);
    for (let mask = 1; mask < total; mask++) {
      const low = mask & -mask;
      const rest = mask ^ low;
      sums[mask] = sums[rest]! + d[31 - Math.clz32(low)]!;
      sizes[mask] = sizes[rest]! + 1;
      means[mask - 1] = sums[mask]! / sizes[mask]!;
    }
    return { means, patterns: total, empty: 0 };
  }
  const rng = new RandomStreams(0).stream('compare:sign-flip-subsets');
  const values = Float64Array.from(d);
  const means = new Float64Array(RANDOM_SUBSETS);
  let kept = 0;
  let empty = 0;
  for (let j = 0; j < RANDOM_SUBSETS; j++) {
    let sum = 0;
    let size = 0;
    // 30 random bits at a time, one per value: in the subset when set (no branch on it: a
    // random branch is mispredicted half the time).
    for (let from = 0; from < n; from += 30) {
      let bits = Math.floor(rng.next() * 0x4000_0000);
      const to = Math.min(n, from + 30);
      for (let i = from; i < to; i++) {
        const bit = bits & 1;
        sum += bit * values[i]!;
        size += bit;
        bits >>>= 1;
      }
    }
    if (size === 0) empty++;
    else means[kept++] = sum / size;
  }
  return { means: means.subarray(0, kept), patterns: RANDOM_SUBSETS + 1, empty };
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
  if (nb < 2 || nc < 2) return { difference: diff, low: null, high: null, significant: false, method: 'welch-t' };
  const tol = EQUAL_RELATIVE * largestAbs(base, candidate);
  if (spread(base) <= tol && spread(candidate) <= tol) return constantChange(Math.abs(diff) <= tol ? 0 : diff, 2 / binomial(nb + nc, nb), level, 'permutation');
  const vb = variance(base, mb) / nb;
  const vc = variance(candidate, mc) / nc;
  const df = (vb + vc) ** 2 / (vb ** 2 / (nb - 1) + vc ** 2 / (nc - 1));
  return interval('welch-t', diff, studentTQuantile(1 - (1 - level) / 2, df) * Math.sqrt(vb + vc));
}

/** The change `m` with the interval m ± half, or [low, high] when given. */
function interval(method: MeanChange['method'], m: number, half: number, low = m - half, high = m + half): MeanChange {
  return { difference: m, low, high, significant: low > 0 || high < 0, method };
}

/** No spread: the change is `d` exactly on every pair (or between two constant samples); it is
 * significant when noise would give it with probability `p` ≤ 1 − level. */
function constantChange(d: number, p: number, level: number, method: MeanChange['method']): MeanChange {
  if (d === 0) return { difference: 0, low: 0, high: 0, significant: false, method };
  return p <= 1 - level + 1e-12 ? { difference: d, low: d, high: d, significant: true, method } : { difference: d, low: null, high: null, significant: false, method };
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
