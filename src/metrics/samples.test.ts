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
    { name: 'spread over [0, 2^32): differences of ~2^16 (a large Rice parameter)', n: 4 * 65_536 + 3, value: (i) => (i * 2_654_435_761) % 2 ** 32 },
    { name: 'a few huge differences among tiny ones (escaped quotients)', n: 2 * 65_536 + 5, value: (i) => (i % 9_973 === 0 ? 2 ** 32 - 1 - i : i % 3) },
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

test('sealed chunks merge into runs two by two as each reaches the size of the one before, and every quantile stays exact', () => {
  // 5 full chunks and 17 values: runs of 4 chunks and 1 chunk (the fifth seals when the 17th
  // value after it arrives), scrambled values with ties, differences from 0 to ~2^31.
  const b = new MicrosSamples();
  const plain: number[] = [];
  const n = 5 * 65_536 + 1 + 17;
  for (let i = 0; i < n; i++) {
    const v = i % 1_000 === 0 ? 2 ** 31 + i : (i * 7_919) % 90_001;
    b.push(v);
    plain.push(v);
  }
  assert.equal(b.runCount, 2);
  const ps = Array.from({ length: 200 }, (_, i) => (i + 1) / 200).concat([1 / n, 2 / n, 257 / n]);
  plain.sort((x, y) => x - y);
  assert.deepEqual(b.quantiles(ps), ps.map((p) => quantile(plain, p)));
});

test('sealed values are kept sorted and Rice-coded: 0.61 bytes a lognormal latency instead of 4 (1.08 as 7-bit bytes a chunk)', () => {
  // 300,000 scheduling latencies, lognormal around 5 ms (p99 1.6 s, as the churn benchmark's),
  // from a fixed linear congruential sequence.
  const b = new MicrosSamples();
  let x = 12345;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) + 0.5) / 2 ** 32;
  const plain: number[] = [];
  for (let i = 0; i < 300_000; i++) {
    const z = Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
    const v = Math.round(Math.exp(Math.log(5_000) + ((Math.log(1_600_000) - Math.log(5_000)) / 2.3263) * z));
    b.push(v);
    plain.push(v);
  }
  // Four sealed chunks (262,144 values) merged into one run, and an open chunk of 65,536 slots.
  // As 7-bit bytes per sealed chunk (the encoding before) they took 1.075 bytes a value.
  assert.equal(b.runCount, 1);
  const perValue = (b.storedBytes - 65_536 * 4) / 262_144;
  assert.equal(perValue.toFixed(3), '0.608');
  const ps = [0.5, 0.99, 1 / 300_000, 1];
  assert.deepEqual(b.quantiles(ps), ps.map((p) => quantile([...plain], p)));
});
