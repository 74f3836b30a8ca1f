// SampleBuffer keeps numbers compactly across chunks and gives stats.quantile's quantiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SampleBuffer } from './samples.js';
import { quantile } from './stats.js';

test('quantiles over several chunks equal the nearest-rank quantiles of the same values', () => {
  const cases: { name: string; n: number; value: (i: number) => number }[] = [
    { name: 'empty', n: 0, value: () => 0 },
    { name: 'one value', n: 1, value: () => 7.5 },
    { name: 'descending, just over one chunk', n: 65_537, value: (i) => 1e6 - i },
    { name: 'scrambled, three chunks', n: 150_001, value: (i) => ((i * 7919) % 150_001) / 1000 },
  ];
  for (const c of cases) {
    const b = new SampleBuffer();
    const plain: number[] = [];
    for (let i = 0; i < c.n; i++) {
      b.push(c.value(i));
      plain.push(c.value(i));
    }
    assert.equal(b.length, c.n, c.name);
    assert.deepEqual(b.toArray(), plain, c.name);
    const want = [0.5, 0.99, 1].map((p) => quantile([...plain], p));
    assert.deepEqual(b.quantiles([0.5, 0.99, 1]), want, c.name);
  }
});
