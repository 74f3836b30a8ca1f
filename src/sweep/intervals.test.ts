// The t intervals of `ksim compare`: the t distribution against reference values (SciPy 1.17's
// scipy.stats.t.ppf), the paired and Welch intervals on worked cases, the no-spread rule, and
// the false-alarm rate under pure noise measured as the tester measured the old bootstrap's
// (52 % at 2 pairs, 25 % at 3, 14 % at 4, 6 % at 6, 3 % at 10).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams, type RandomStream } from '../engine/random.js';
import { logGamma, pairedMeanChange, regularizedIncompleteBeta, studentTQuantile, welchMeanChange, type MeanChange } from './intervals.js';

const close = (actual: number | null, expected: number, tol = 1e-9) => assert.ok(actual !== null && Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${actual} ≠ ${expected}`);

test('the 97.5 % quantile of Student t matches SciPy for integer and fractional degrees of freedom', () => {
  const table: [df: number, t: number][] = [
    [1, 12.706204736174694], [2, 4.302652729749462], [3, 3.1824463052837078], [4, 2.7764451051977934],
    [5, 2.5705818356363146], [9, 2.262157162798205], [10, 2.228138851986274], [39, 2.022690920036761],
    [7.5, 2.333039626864974], [2.3, 3.807163208232131], [1e6, 1.959966356814107],
  ];
  for (const [df, t] of table) close(studentTQuantile(0.975, df), t);
  close(studentTQuantile(0.025, 5), -2.5705818356363146);
  assert.equal(studentTQuantile(0.5, 3), 0);
});

test('log-gamma and the incomplete beta on exact values', () => {
  close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12);
  close(logGamma(10), Math.log(362880), 1e-12);
  // I_0.5(2, 3) = Σ_{j=2..4} C(4, j) / 16 = 11 / 16.
  close(regularizedIncompleteBeta(0.5, 2, 3), 0.6875, 1e-12);
  assert.equal(regularizedIncompleteBeta(0, 2, 3), 0);
  assert.equal(regularizedIncompleteBeta(1, 2, 3), 1);
});

function assertChange(c: MeanChange | null, difference: number, low: number | null, high: number | null, significant: boolean): void {
  assert.ok(c !== null);
  close(c.difference, difference);
  if (low === null) assert.equal(c.low, null);
  else close(c.low, low);
  if (high === null) assert.equal(c.high, null);
  else close(c.high, high);
  assert.equal(c.significant, significant);
}

test('paired: 19 of 40 seeds 5 worse, the others unchanged: mean +2.375, t interval [1.566, 3.184], significant (the median was 0)', () => {
  const base = new Array<number>(40).fill(0);
  const cand = [...new Array<number>(21).fill(0), ...new Array<number>(19).fill(5)];
  // sd of the differences 2.5287, t(0.975, 39) = 2.0227: half-width 2.0227 × 2.5287 / √40 = 0.8087.
  assertChange(pairedMeanChange(base, cand), 2.375, 1.5662883820382523, 3.1837116179617477, true);
});

test('paired: six seeds 0.3 … 0.7 slower: mean +0.5, t interval [0.352, 0.648]; with one pair, no interval', () => {
  const base = [10, 14, 18, 22, 26, 30];
  const cand = [10.5, 14.6, 18.4, 22.5, 26.7, 30.3];
  assertChange(pairedMeanChange(base, cand), 0.5, 0.3515873885221411, 0.6484126114778589, true);
  assertChange(pairedMeanChange([10], [10.5]), 0.5, null, null, false);
  assert.equal(pairedMeanChange([], []), null);
});

test('paired, no spread: 0 on every pair is the point 0; the same change on every pair is significant from 6 pairs (2 / 2^n ≤ 5 %)', () => {
  assertChange(pairedMeanChange([1, 2, 3], [1, 2, 3]), 0, 0, 0, false);
  assertChange(pairedMeanChange([0, 0, 0, 0, 0], [5, 5, 5, 5, 5]), 5, null, null, false);
  assertChange(pairedMeanChange([0, 0, 0, 0, 0, 0], [5, 5, 5, 5, 5, 5]), 5, 5, 5, true);
  // 0.4 − 0.1, 0.5 − 0.2, 0.7 − 0.4 differ in their last bits: still "the same change", not a
  // t interval of width 1e-16 around 0.3.
  assertChange(pairedMeanChange([0.1, 0.2, 0.4], [0.4, 0.5, 0.7]), 0.3, null, null, false);
});

test('unpaired: Welch intervals as SciPy ttest_ind(equal_var=False).confidence_interval()', () => {
  assertChange(welchMeanChange([10, 14, 18, 22, 26, 30], [10.5, 14.6, 18.4, 22.5, 26.7, 30.3]), 0.5, -9.10689286657406, 10.10689286657406, false);
  assertChange(welchMeanChange([1, 2, 3], [4, 6, 8, 10]), 5, 1.102024548916872, 8.897975451083127, true);
  assertChange(welchMeanChange([1], [4, 6]), 4, null, null, false);
  // Two constant sides: 2 / C(6, 3) = 10 % at 3 a side, 2 / C(8, 4) = 2.9 % at 4.
  assertChange(welchMeanChange([3, 3, 3], [5, 5, 5]), 2, null, null, false);
  assertChange(welchMeanChange([3, 3, 3, 3], [5, 5, 5, 5]), 2, 2, 2, true);
  assertChange(welchMeanChange([3, 3], [3, 3, 3]), 0, 0, 0, false);
});

function gauss(rng: RandomStream): number {
  return Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** The share of `trials` comparisons called significant when the candidate is the base plus
 * noise (paired: the same seed levels, 100 + 20 i; unpaired: both sides from one population). */
function falseAlarms(n: number, trials: number, paired: boolean, noise: (rng: RandomStream) => number): number {
  const rng = new RandomStreams(n).stream(paired ? 'paired' : 'unpaired');
  let significant = 0;
  for (let t = 0; t < trials; t++) {
    const base = Array.from({ length: n }, (_, i) => 100 + 20 * i + 5 * noise(rng));
    const cand = paired ? base.map((b) => b + noise(rng)) : Array.from({ length: n }, (_, i) => 100 + 20 * i + 5 * noise(rng));
    if ((paired ? pairedMeanChange(base, cand) : welchMeanChange(base, cand))?.significant === true) significant++;
  }
  return significant / trials;
}

test('pure noise: 4 % to 6 % of paired comparisons are called significant at 2, 3, 4, 6, 10 and 20 pairs (nominal 5 %), at most 6 % unpaired', () => {
  // 4,000 trials per n: a rate's standard error is 0.34 points.
  const rates = [2, 3, 4, 6, 10, 20].map((n) => [n, falseAlarms(n, 4000, true, gauss), falseAlarms(n, 4000, false, gauss)] as const);
  for (const [n, paired, unpaired] of rates) {
    assert.ok(paired >= 0.04 && paired <= 0.06, `paired, ${n} pairs: ${paired}`);
    // Unpaired, each seed's level is a fixed spread both sides share: Welch counts it as noise,
    // so it is conservative (≈ 2 % at 2 runs a side, 5 % from 10).
    assert.ok(unpaired <= 0.06, `unpaired, n ${n}: ${unpaired}`);
  }
});

test('two-point noise, ±5 on every pair: the exact share of the 2^n sign patterns called significant is 0 below 6 pairs, then t\'s lattice (12.5 % at 7)', () => {
  // The worst case for a count metric: every pair moves by exactly 5, either way. Below 6 pairs
  // only "all the same" could look significant, and the no-spread rule refuses it; from 7 pairs
  // "all but one the same" has t above the 97.5 % quantile (at 7: mean 3.571, sd 3.780, t 2.5 >
  // 2.447), so t's rate swings around 5 % with n. The README lists this.
  const expected = [0, 0, 0, 0, 2 / 64, 16 / 128, 18 / 256, 20 / 512, 22 / 1024];
  for (let n = 2; n <= 10; n++) {
    let significant = 0;
    for (let mask = 0; mask < 2 ** n; mask++) {
      const cand = Array.from({ length: n }, (_, i) => ((mask >> i) & 1) === 1 ? 5 : -5);
      if (pairedMeanChange(new Array<number>(n).fill(0), cand)!.significant) significant++;
    }
    assert.equal(significant / 2 ** n, expected[n - 2], `${n} pairs: ${significant} of ${2 ** n}`);
  }
});
