import { test } from 'node:test';
import assert from 'node:assert/strict';
import { histogram, median } from './charts.js';

test('histogram: at least 5 equal bins over the range, the last one closed', () => {
  assert.deepEqual(
    histogram([1, 2, 3, 4, 5]).map((b) => [Number(b.x1.toFixed(6)), Number(b.x2.toFixed(6)), b.count]),
    [[1, 1.8, 1], [1.8, 2.6, 1], [2.6, 3.4, 1], [3.4, 4.2, 1], [4.2, 5, 1]],
  );
  // 40 values: ceil(log2 40) + 1 = 7 bins.
  assert.equal(histogram(Array.from({ length: 40 }, (_, i) => i)).length, 7);
});

test('histogram: a constant is one narrow bin around it; no values, no bins', () => {
  assert.deepEqual(histogram([3, 3]), [{ x1: 2.85, x2: 3.15, count: 2 }]);
  assert.deepEqual(histogram([0]), [{ x1: -0.5, x2: 0.5, count: 1 }]);
  assert.deepEqual(histogram([]), []);
});

test('median: the middle value, or the mean of the two middle ones', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
