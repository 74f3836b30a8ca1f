import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RandomStreams, type RandomStream } from './random.js';

function take(s: RandomStream, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(s.next());
  return out;
}

describe('RandomStreams', () => {
  it('produces pinned golden values for seed 42, stream "scheduler"', () => {
    // If this fails, the seed derivation or PRNG changed: every recorded run changes.
    const s = new RandomStreams(42).stream('scheduler');
    assert.deepEqual(take(s, 3), [0.3942466271109879, 0.45391081064008176, 0.40599512052722275]);
  });

  it('gives the same sequence for the same seed and name', () => {
    const a = take(new RandomStreams(7).stream('x'), 100);
    const b = take(new RandomStreams(7).stream('x'), 100);
    assert.deepEqual(a, b);
  });

  it('gives different sequences for different names', () => {
    const streams = new RandomStreams(7);
    assert.notDeepEqual(take(streams.stream('a'), 10), take(streams.stream('b'), 10));
  });

  it('gives different sequences for different seeds', () => {
    assert.notDeepEqual(take(new RandomStreams(1).stream('a'), 10), take(new RandomStreams(2).stream('a'), 10));
  });

  it('does not change stream "a" when stream "b" is created or used before or after it', () => {
    const alone = take(new RandomStreams(99).stream('a'), 20);

    const bFirst = new RandomStreams(99);
    take(bFirst.stream('b'), 13);
    const withBFirst = take(bFirst.stream('a'), 20);

    const interleaved = new RandomStreams(99);
    const a = interleaved.stream('a');
    const out: number[] = [];
    for (let i = 0; i < 20; i++) {
      out.push(a.next());
      interleaved.stream(`b${i}`).next();
    }

    assert.deepEqual(withBFirst, alone);
    assert.deepEqual(out, alone);
  });

  it('returns the same cached object for the same name', () => {
    const streams = new RandomStreams(1);
    const s = streams.stream('n');
    assert.equal(streams.stream('n'), s);
    assert.equal(s.name, 'n');
  });

  it('next() stays in [0, 1)', () => {
    const s = new RandomStreams(3).stream('u');
    for (let i = 0; i < 10_000; i++) {
      const v = s.next();
      assert.ok(v >= 0 && v < 1, `out of range: ${v}`);
    }
  });

  const intBounds = [1, 2, 7, 1000, 2 ** 32, 2 ** 40];
  for (const max of intBounds) {
    it(`int(${max}) returns integers in [0, ${max})`, () => {
      const s = new RandomStreams(5).stream(`int-${max}`);
      for (let i = 0; i < 2000; i++) {
        const v = s.int(max);
        assert.ok(Number.isInteger(v) && v >= 0 && v < max, `out of range: ${v}`);
      }
    });
  }

  it('int(6) hits every value with roughly equal frequency', () => {
    const s = new RandomStreams(11).stream('die');
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) counts[s.int(6)]!++;
    for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500, `count ${c}`);
  });

  const badMax = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY];
  for (const max of badMax) {
    it(`int(${max}) throws`, () => {
      assert.throws(() => new RandomStreams(1).stream('x').int(max), /positive integer/);
    });
  }
});
