import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams } from '../engine/random.js';
import { bootstrapMedianOfDifferences, bootstrapMedianDifference, median } from './bootstrap.js';

const rng = () => new RandomStreams(1).stream('bootstrap');

test('the median of an odd and an even count', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('identical samples give an interval around 0: no significant change', () => {
  const xs = [5, 7, 9, 11, 13, 8, 6];
  const ci = bootstrapMedianDifference(xs, xs, 500, rng());
  assert.ok(ci.low < 0 && ci.high > 0, JSON.stringify(ci));
  // A metric that never varies: the interval is the point 0.
  assert.deepEqual(bootstrapMedianDifference([3, 3, 3], [3, 3], 500, rng()), { low: 0, high: 0 });
});

test('a clear shift gives an interval around it that excludes 0', () => {
  const base = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const cand = base.map((x) => x + 20);
  const ci = bootstrapMedianDifference(base, cand, 2000, rng());
  assert.ok(ci.low > 15 && ci.high < 25 && ci.low <= 20 && ci.high >= 20, JSON.stringify(ci));
});

test('the same seed gives the same interval', () => {
  const a = [1, 5, 2, 8, 3, 9, 4];
  const b = [2, 6, 3, 9, 1, 7, 8];
  assert.deepEqual(bootstrapMedianDifference(a, b, 1000, rng()), bootstrapMedianDifference(a, b, 1000, rng()));
});

test('paired: a small consistent shift that the unpaired test cannot see is significant in the per-seed differences', () => {
  // The same six seeds: a spread of 10 … 30 between seeds, +0.3 … +0.7 within each seed.
  const base = [10, 14, 18, 22, 26, 30];
  const cand = [10.5, 14.6, 18.4, 22.5, 26.7, 30.3];
  const unpaired = bootstrapMedianDifference(base, cand, 2000, rng());
  assert.ok(unpaired.low < 0 && unpaired.high > 0, JSON.stringify(unpaired));
  const paired = bootstrapMedianOfDifferences(cand.map((c, i) => c - base[i]!), 2000, rng());
  // A resampled median lies between the smallest and largest difference (0.3, 0.7); the median is 0.5.
  assert.ok(paired.low > 0.3 && paired.low < 0.5 && paired.high > 0.5 && paired.high < 0.7, JSON.stringify(paired));
});

test('paired: equal pairs give the point 0; no pairs, no interval', () => {
  assert.deepEqual(bootstrapMedianOfDifferences([0, 0, 0], 500, rng()), { low: 0, high: 0 });
  const none = bootstrapMedianOfDifferences([], 500, rng());
  assert.ok(Number.isNaN(none.low) && Number.isNaN(none.high));
});
