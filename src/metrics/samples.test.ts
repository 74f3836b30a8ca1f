// MicrosSamples keeps whole-µs durations compactly across chunks and gives stats.quantile's
// nearest-rank quantiles of them, exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MicrosSamples } from './samples.js';
import { quantile } from './stats.js';

test('quantiles over several chunks equal the nearest-rank quantiles of the same values', () => {
  const cases: { name: string; n: number; value: (i: number) => number }[] = [
    { name: 'empty', n: 0, value: () => 0 },
    { name: 'one value', n: 1, value: () => 7_500 },
    { name: 'ascending, filling the first two (growing) chunks and one value of the third', n: 1_024 + 2_048 + 1, value: (i) => (i * 3) % 5_000 },
    { name: 'descending, over the growing chunks into full ones', n: 65_537, value: (i) => 1e6 - i },
    { name: 'scrambled, three chunks, with ties', n: 150_001, value: (i) => (i * 7919) % 40_000 },
    { name: 'values of 2^32 µs and more among small ones', n: 70_000, value: (i) => (i % 7 === 0 ? 2 ** 32 + ((i * 31) % 1000) : i % 5 === 0 ? 2 ** 32 - 1 : i) },
    { name: 'all from 2^32 µs up', n: 10, value: (i) => 2 ** 40 - i },
  ];
  const ps = [0.001, 0.5, 0.9, 0.99, 1];
  for (const c of cases) {
    const b = new MicrosSamples();
    const plain: number[] = [];
    for (let i = 0; i < c.n; i++) {
      b.push(c.value(i));
      plain.push(c.value(i));
    }
    assert.equal(b.length, c.n, c.name);
    const want = ps.map((p) => quantile([...plain], p));
    assert.deepEqual(b.quantiles(ps), want, c.name);
  }
});

test('values pushed after a quantile query count in the next one', () => {
  const b = new MicrosSamples();
  for (const v of [50, 10, 40]) b.push(v);
  assert.deepEqual(b.quantiles([0.5, 1]), [40, 50]);
  for (const v of [5, 1, 2, 3]) b.push(v); // 1 2 3 5 10 40 50
  assert.deepEqual(b.quantiles([0.5, 1]), [5, 50]);
  assert.deepEqual(b.quantiles([1 / 7]), [1]);
});

test('a value that is not a whole non-negative number of µs is refused', () => {
  const b = new MicrosSamples();
  for (const bad of [-1, 1.5, Number.NaN, 2 ** 53]) assert.throws(() => b.push(bad), /expected a non-negative whole number of µs/);
  assert.equal(b.length, 0);
});
