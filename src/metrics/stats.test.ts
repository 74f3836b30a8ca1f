import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fmt, quantile, TimeWeightedMean } from './stats.js';
import { RandomStreams } from '../engine/random.js';

test('quantile uses the nearest rank', () => {
  const cases: [number[], number, number][] = [
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5, 5],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99, 10],
    [[10, 1, 5], 0.5, 5],
    [[7], 0.99, 7],
    [[1, 2], 0.5, 1],
  ];
  for (const [v, p, want] of cases) assert.equal(quantile([...v], p), want, `${v} p${p}`);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

test('time-weighted mean weighs each value by how long it held', () => {
  const m = new TimeWeightedMean(0, 0);
  m.set(10, 1); // 0 for 10 µs
  m.set(30, 0.5); // 1 for 20 µs
  // 0.5 for the last 10 µs: (0*10 + 1*20 + 0.5*10) / 40 = 0.625
  assert.equal(m.mean(40), 0.625);
});

test('time-weighted mean leaves out the stretches where the signal is undefined (NaN)', () => {
  const m = new TimeWeightedMean(0, 0.5);
  m.set(10, Number.NaN); // 0.5 for 10 µs
  m.set(30, 1); // undefined for 20 µs
  // 1 for the last 10 µs: (0.5*10 + 1*10) / 20 = 0.75
  assert.equal(m.mean(40), 0.75);
  assert.ok(Number.isNaN(new TimeWeightedMean(0, Number.NaN).mean(40)), 'never defined');
  const endsUndefined = new TimeWeightedMean(0, 0.25);
  endsUndefined.set(10, Number.NaN);
  assert.equal(endsUndefined.mean(40), 0.25);
});

test('fmt trims trailing zeros and renders NaN as empty', () => {
  assert.equal(fmt(1.5, 3), '1.5');
  assert.equal(fmt(2, 3), '2');
  assert.equal(fmt(0.1234567, 6), '0.123457');
  assert.equal(fmt(120, 0), '120');
  assert.equal(fmt(Number.NaN, 3), '');
  assert.equal(fmt(100.5, 3), '100.5', 'zeros before the point stay');
  assert.equal(fmt(0.0004, 3), '0');
  assert.equal(fmt(-0.0004, 3), '-0');
  assert.equal(fmt(-2.5, 2), '-2.5');
});

test('fmt gives what toFixed and the regular expression /\\.?0+$/ gave, value for value', () => {
  const byRegex = (v: number, d: number) => {
    const s = v.toFixed(d);
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  };
  const values = [0, -0, 1, 10, 100, 1000.001, 0.5, 0.05, 1e-7, -1e-7, 123456.789, 1e20, 1.5e21, -3e21, 2 ** 53, 7.1, 99.99999];
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648; // a fixed LCG: the same values every run
    values.push((x / 2147483648 - 0.5) * 10 ** ((i % 12) - 4));
  }
  for (const v of values) for (let d = 0; d <= 6; d++) assert.equal(fmt(v, d), byRegex(v, d), `fmt(${v}, ${d})`);
});

test('time-weighted mean with no time passed is the current value (the run ends where it starts)', () => {
  assert.equal(new TimeWeightedMean(5, 0.7).mean(5), 0.7);
  const m = new TimeWeightedMean(0, 0.2);
  m.set(0, 0.9); // replaced at once: 0.2 held for 0 µs
  assert.equal(m.mean(0), 0.9);
});

test('fmt writes what toFixed writes (trailing zeros trimmed) for values that are exactly n / 10^digits, near them, and neither', () => {
  const reference = (v: number, digits: number): string => {
    const s = v.toFixed(digits);
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  };
  const rng = new RandomStreams(3).stream('fmt-test');
  let checked = 0;
  for (let digits = 0; digits <= 7; digits++) {
    const scale = 10 ** digits;
    for (let k = 0; k < 4000; k++) {
      // Integers of every size up to 10^9 seconds' worth, small ones often (times near 0).
      const n = k < 1000 ? k : Math.floor(rng.next() * 10 ** (1 + rng.int(9 + digits)));
      const v = n / scale;
      const values = [v, v + Number.EPSILON * v, v - Number.EPSILON * v, v + 0.5 / scale, -v, rng.next() * 10 ** rng.int(10), 1e9 - 1 / scale, 1e9 + v, v * 1e5, 2 ** 40 + v];
      for (const x of values) {
        assert.equal(fmt(x, digits), reference(x, digits), `fmt(${x}, ${digits})`);
        checked++;
      }
    }
  }
  assert.equal(checked, 8 * 4000 * 10);
  assert.equal(fmt(1_500_000 / 1e6, 6), '1.5');
  assert.equal(fmt(1_000_001 / 1e6, 6), '1.000001');
  assert.equal(fmt(3_600, 6), '3600');
  assert.equal(fmt(0.25, 1), '0.3', 'a tie (0.25 is exact) rounds up, as toFixed does');
  assert.equal(fmt(-0, 6), '0');
});
