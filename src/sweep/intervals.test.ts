// The intervals of `ksim compare`: the t distribution against reference values (SciPy 1.17's
// scipy.stats.t.ppf), the paired (t below 6 pairs, the sign-flip test from 6) and Welch
// intervals on worked cases, the no-spread rule, and the false-alarm rate under pure noise
// measured as the tester measured the old bootstrap's (52 % at 2 pairs, 25 % at 3, 14 % at 4,
// 6 % at 6, 3 % at 10).
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

test('paired: 19 of 40 seeds 5 worse, the others unchanged: mean +2.375, sign-flip interval [1.5625, 3.1818], significant (the median was 0)', () => {
  const base = new Array<number>(40).fill(0);
  const cand = [...new Array<number>(21).fill(0), ...new Array<number>(19).fill(5)];
  // 40 pairs: 65,535 subsets drawn. Their means are 5 × (fives in it) / (its size); the t
  // interval was [1.566, 3.184] (sd 2.5287, t(0.975, 39) 2.0227).
  assertChange(pairedMeanChange(base, cand), 2.375, 1.5625, 35 / 11, true);
});

test('paired: the skewed count that t let through: 0, 1, 0, 0, 5, 5, 19, 3, 3, 0 more pods unbound is significant, interval [1/3, 8]', () => {
  // t's interval was [−0.53, +7.73]. Of the 2^10 sign patterns only those flipping nothing but
  // zeros (16) reach the observed sum 36: p = 2 × 16/1024 = 0.031. The interval's low end is the
  // 25th smallest (⌊0.025 × 1024⌋) of the 1,023 subset means: 15 subsets of zeros have mean 0,
  // then {1 and 4 zeros} 1/5, {1 and 3 zeros} 1/4 (4 of them), {1 and 2 zeros} 1/3 (6).
  const base = [3, 7, 1, 0, 2, 4, 0, 6, 5, 2];
  const diffs = [0, 1, 0, 0, 5, 5, 19, 3, 3, 0];
  assertChange(pairedMeanChange(base, base.map((b, i) => b + diffs[i]!)), 3.6, 1 / 3, 8, true);
  // One seed better by 3 instead of worse (sum 30): the subsets of mean ≤ 0 are the zeros' 15,
  // and {−3}, {−3, 1}, {−3, 3} each with any zeros (16 each): p = 2 × 64/1024 = 0.125.
  const mixed = [0, 1, 0, 0, 5, 5, 19, 3, -3, 0];
  const c = pairedMeanChange(base, base.map((b, i) => b + mixed[i]!));
  assert.ok(c !== null && c.significant === false && c.low! <= 0, JSON.stringify(c));
});

test('paired: six seeds 0.3 … 0.7 slower: mean +0.5, sign-flip interval [0.3, 0.7] (at 6 pairs the smallest and largest difference); with one pair, no interval', () => {
  const base = [10, 14, 18, 22, 26, 30];
  const cand = [10.5, 14.6, 18.4, 22.5, 26.7, 30.3];
  assertChange(pairedMeanChange(base, cand), 0.5, 0.3, 0.7, true);
  // Below 6 pairs, Student t: five of them, mean 0.54, sd 0.1140, t(0.975, 4) 2.7764.
  assertChange(pairedMeanChange(base.slice(0, 5), cand.slice(0, 5)), 0.54, 0.54 - (2.7764451051977934 * 0.11401754250991379) / Math.sqrt(5), 0.54 + (2.7764451051977934 * 0.11401754250991379) / Math.sqrt(5), true);
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

test('pure noise: paired comparisons are called significant at the test\'s exact level (t: 5 % at 2–4 pairs; sign-flip: 3.1 % at 6, 4.9 % at 10, 5 % at 20), at most 6 % unpaired', () => {
  // 4,000 trials per n: a rate's standard error is 0.34 points. The sign-flip test's level is
  // 2c / 2^n (c = ⌊0.025 × 2^n⌋): 2/64 at 6 pairs, 50/1024 at 10; 5 % with drawn subsets.
  const level: Record<number, number> = { 2: 0.05, 3: 0.05, 4: 0.05, 6: 2 / 64, 10: 50 / 1024, 20: 0.05 };
  for (const n of [2, 3, 4, 6, 10, 20]) {
    const paired = falseAlarms(n, 4000, true, gauss);
    const unpaired = falseAlarms(n, 4000, false, gauss);
    assert.ok(Math.abs(paired - level[n]!) <= 0.01, `paired, ${n} pairs: ${paired} (level ${level[n]})`);
    // Unpaired, each seed's level is a fixed spread both sides share: Welch counts it as noise,
    // so it is conservative (≈ 2 % at 2 runs a side, 5 % from 10).
    assert.ok(unpaired <= 0.06, `unpaired, n ${n}: ${unpaired}`);
  }
});

test('skewed noise the same on both sides (a seed\'s two runs exchangeable): the sign-flip test stays at its level where t did not', () => {
  // Each run's value is a seed level plus exponential noise (a latency's tail): the differences
  // are symmetric but heavy-tailed. 2,000 trials at 10 pairs: at most 50/1024 + 1 point.
  const rng = new RandomStreams(7).stream('skewed');
  const exp = () => -Math.log(1 - rng.next());
  let significant = 0;
  for (let t = 0; t < 2000; t++) {
    const level = Array.from({ length: 10 }, (_, i) => 100 + 20 * i);
    const base = level.map((l) => l + 5 * exp() ** 2);
    const cand = level.map((l) => l + 5 * exp() ** 2);
    if (pairedMeanChange(base, cand)!.significant) significant++;
  }
  assert.ok(significant / 2000 <= 50 / 1024 + 0.01, `${significant} of 2000`);
});

test('two-point noise, ±5 on every pair: the exact share of the 2^n sign patterns called significant is 0 below 6 pairs, then at most 5 % (t gave 12.5 % at 7)', () => {
  // The worst case for a count metric: every pair moves by exactly 5, either way. Below 6 pairs
  // only "all the same" could look significant, and the no-spread rule refuses it. From 6 the
  // sign-flip test: k of n minus signs has p = 2 × P(Binomial(n, ½) ≤ k), significant for k = 0
  // up to 8 pairs, k ≤ 1 at 9 and 10 (2 × 10/512, 2 × 11/1024).
  const expected = [0, 0, 0, 0, 2 / 64, 2 / 128, 2 / 256, 20 / 512, 22 / 1024];
  for (let n = 2; n <= 10; n++) {
    let significant = 0;
    for (let mask = 0; mask < 2 ** n; mask++) {
      const cand = Array.from({ length: n }, (_, i) => ((mask >> i) & 1) === 1 ? 5 : -5);
      if (pairedMeanChange(new Array<number>(n).fill(0), cand)!.significant) significant++;
    }
    assert.equal(significant / 2 ** n, expected[n - 2], `${n} pairs: ${significant} of ${2 ** n}`);
  }
});

test('the drawn subsets (above 16 pairs) give nearly the exact interval, the same every time', () => {
  // 17 pairs: the exact interval from all 2^17 − 1 subset means, computed here, against the
  // 65,535 drawn ones.
  const d = [0.5, -1.2, 2.5, 0.1, 3.3, 1.1, -0.4, 2.2, 0.9, 1.7, -2.1, 4.0, 0.3, 1.4, 0.8, -0.6, 2.9];
  const means: number[] = [];
  for (let mask = 1; mask < 2 ** 17; mask++) {
    let sum = 0, size = 0;
    for (let i = 0; i < 17; i++) if (((mask >> i) & 1) === 1) (sum += d[i]!), size++;
    means.push(sum / size);
  }
  means.sort((x, y) => x - y);
  const c = Math.floor(0.025 * 2 ** 17);
  const zeros = new Array<number>(17).fill(0);
  const drawn = pairedMeanChange(zeros, d)!;
  assert.ok(Math.abs(drawn.low! - means[c - 1]!) <= 0.02, `low ${drawn.low} vs exact ${means[c - 1]}`);
  assert.ok(Math.abs(drawn.high! - means[means.length - c]!) <= 0.02, `high ${drawn.high} vs exact ${means[means.length - c]}`);
  assert.deepEqual(pairedMeanChange(zeros, d), drawn);
  // One large negative seed among 17 small positive ones: not significant.
  const e = pairedMeanChange(new Array<number>(18).fill(0), [...new Array<number>(17).fill(1), -40]);
  assert.ok(e !== null && !e.significant, JSON.stringify(e));
});
