// Seeded percentile bootstraps for `ksim compare` of two sweeps: of the difference of two
// medians (candidate − base), the two samples resampled independently (unpaired: seeds need not
// match), and of the median of per-seed differences (paired: the same seed gives both sweeps the
// same workload, so its noise cancels in the difference). Seeded, so the same inputs give the
// same interval on every machine.
// Method: Efron & Tibshirani, An Introduction to the Bootstrap (1993), ch. 13 (percentile
// interval); the 95% interval is the 2.5th and 97.5th percentiles of the resampled differences.
import type { RandomStream } from '../engine/random.js';
import { median } from '../metrics/stats.js';

export { median };

export interface BootstrapInterval {
  readonly low: number;
  readonly high: number;
}

/** The `level` (e.g. 0.95) percentile interval of median(candidate*) − median(base*) over
 * `resamples` resamples drawn from `rng`. */
export function bootstrapMedianDifference(base: readonly number[], candidate: readonly number[], resamples: number, rng: RandomStream, level = 0.95): BootstrapInterval {
  if (base.length === 0 || candidate.length === 0) return { low: NaN, high: NaN };
  const diffs = new Float64Array(resamples);
  const a = new Float64Array(base.length);
  const b = new Float64Array(candidate.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < a.length; i++) a[i] = base[rng.int(base.length)]!;
    for (let i = 0; i < b.length; i++) b[i] = candidate[rng.int(candidate.length)]!;
    diffs[r] = sortedMedian(b.sort()) - sortedMedian(a.sort());
  }
  diffs.sort();
  const tail = (1 - level) / 2;
  return { low: quantileSorted(diffs, tail), high: quantileSorted(diffs, 1 - tail) };
}

/** The `level` percentile interval of the median of `differences` (one per pair, candidate −
 * base) over `resamples` resamples of the pairs drawn from `rng`. */
export function bootstrapMedianOfDifferences(differences: readonly number[], resamples: number, rng: RandomStream, level = 0.95): BootstrapInterval {
  if (differences.length === 0) return { low: NaN, high: NaN };
  const n = differences.length;
  const medians = new Float64Array(resamples);
  const d = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) d[i] = differences[rng.int(n)]!;
    medians[r] = sortedMedian(d.sort());
  }
  medians.sort();
  const tail = (1 - level) / 2;
  return { low: quantileSorted(medians, tail), high: quantileSorted(medians, 1 - tail) };
}

function sortedMedian(s: Float64Array): number {
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Linear interpolation between order statistics (R's type 7, numpy's default). */
function quantileSorted(s: Float64Array, q: number): number {
  const h = (s.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(s.length - 1, lo + 1);
  return s[lo]! + (h - lo) * (s[hi]! - s[lo]!);
}
