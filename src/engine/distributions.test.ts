import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  Z_99,
  describeDistribution,
  distributionMean,
  lognormal,
  sample,
  sampleNonNegativeInt,
  validateDistribution,
  type Distribution,
} from './distributions.js';
import { RandomStreams } from './random.js';

function draw(d: Distribution, n: number, stream = 'dist'): number[] {
  const rng = new RandomStreams(2024).stream(stream);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) out[i] = sample(d, rng);
  return out;
}

function mean(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

function stddev(xs: number[]): number {
  const m = mean(xs);
  let s = 0;
  for (const x of xs) s += (x - m) * (x - m);
  return Math.sqrt(s / (xs.length - 1));
}

/** Nearest-rank quantile. */
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function relErr(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('distributions', () => {
  it('constant returns exactly its value and does not advance the stream', () => {
    const rng = new RandomStreams(1).stream('c');
    const fresh = new RandomStreams(1).stream('c');
    for (let i = 0; i < 10; i++) assert.equal(sample({ kind: 'constant', value: 1234.5 }, rng), 1234.5);
    assert.equal(rng.next(), fresh.next());
  });

  it('uniform stays within [min, max) and has the right mean', () => {
    const xs = draw({ kind: 'uniform', min: 100, max: 300 }, 20_000);
    for (const x of xs) assert.ok(x >= 100 && x < 300, `out of range: ${x}`);
    assert.ok(relErr(mean(xs), 200) < 0.01, `mean ${mean(xs)}`);
  });

  it('exponential: empirical mean of 20,000 samples is within 3% of the mean', () => {
    const xs = draw({ kind: 'exponential', mean: 5_000_000 }, 20_000);
    for (const x of xs) assert.ok(x >= 0);
    assert.ok(relErr(mean(xs), 5_000_000) < 0.03, `mean ${mean(xs)}`);
  });

  it('normal: empirical mean and stddev match', () => {
    const xs = draw({ kind: 'normal', mean: 1000, stddev: 200 }, 50_000);
    assert.ok(Math.abs(mean(xs) - 1000) < 5, `mean ${mean(xs)}`);
    assert.ok(relErr(stddev(xs), 200) < 0.02, `stddev ${stddev(xs)}`);
  });

  it('lognormal: empirical median within 3% of p50 and p99 within 7% of p99 over 50,000 samples', () => {
    const xs = draw({ kind: 'lognormal', p50: 1_000_000, p99: 5_000_000 }, 50_000);
    const p50 = quantile(xs, 0.5);
    const p99 = quantile(xs, 0.99);
    assert.ok(relErr(p50, 1_000_000) < 0.03, `p50 ${p50}`);
    assert.ok(relErr(p99, 5_000_000) < 0.07, `p99 ${p99}`);
  });

  it('lognormal with p99 == p50 is a constant', () => {
    const xs = draw({ kind: 'lognormal', p50: 250, p99: 250 }, 10);
    for (const x of xs) assert.ok(relErr(x, 250) < 1e-12);
  });

  it('lognormal() draws exactly what the plain object draws, and reads and prints as it', () => {
    const kept = lognormal(1000, 5000);
    const plain: Distribution = { kind: 'lognormal', p50: 1000, p99: 5000 };
    // Bit for bit: its kept mu and sigma are worked out as sample() works them out per draw.
    assert.deepEqual(draw(kept, 200, 'same'), draw(plain, 200, 'same'));
    assert.deepEqual(kept, plain);
    assert.equal(JSON.stringify(kept), '{"kind":"lognormal","p50":1000,"p99":5000}');
    assert.equal(describeDistribution(kept), 'lognormal(p50=1000, p99=5000)');
  });

  it('is deterministic for the same seed and stream', () => {
    const d: Distribution = { kind: 'lognormal', p50: 10, p99: 100 };
    assert.deepEqual(draw(d, 50, 's'), draw(d, 50, 's'));
  });

  it('consumes a fixed number of stream values per sample', () => {
    // Box–Muller without a cached spare: two draws per normal sample, one per uniform/exponential.
    const perSample: Array<[Distribution, number]> = [
      [{ kind: 'uniform', min: 0, max: 1 }, 1],
      [{ kind: 'exponential', mean: 1 }, 1],
      [{ kind: 'normal', mean: 0, stddev: 1 }, 2],
      [{ kind: 'lognormal', p50: 1, p99: 2 }, 2],
    ];
    for (const [d, draws] of perSample) {
      const rng = new RandomStreams(8).stream('count');
      const ref = new RandomStreams(8).stream('count');
      for (let i = 0; i < 3; i++) sample(d, rng);
      for (let i = 0; i < 3 * draws; i++) ref.next();
      assert.equal(rng.next(), ref.next(), d.kind);
    }
  });

  it('sampleNonNegativeInt rounds and clamps negative normals to 0', () => {
    const rng = new RandomStreams(4).stream('clamp');
    const d: Distribution = { kind: 'normal', mean: 0, stddev: 1000 };
    let zeros = 0;
    for (let i = 0; i < 5000; i++) {
      const v = sampleNonNegativeInt(d, rng);
      assert.ok(Number.isInteger(v) && v >= 0, `bad value ${v}`);
      if (v === 0) zeros++;
    }
    // About half the normal draws are negative.
    assert.ok(zeros > 2250 && zeros < 2750, `zeros ${zeros}`);
    assert.equal(sampleNonNegativeInt({ kind: 'constant', value: -5 }, rng), 0);
    assert.equal(sampleNonNegativeInt({ kind: 'constant', value: 2.5 }, rng), 3);
    assert.equal(sampleNonNegativeInt({ kind: 'constant', value: 2.4 }, rng), 2);
  });

  const saturating: Array<[what: string, d: Distribution, expected: number]> = [
    ['an infinite constant', { kind: 'constant', value: Number.POSITIVE_INFINITY }, 9_007_199_254_740_991],
    ['a constant past the end of the clock', { kind: 'constant', value: 1e300 }, 9_007_199_254_740_991],
    ['a NaN constant', { kind: 'constant', value: Number.NaN }, 0],
    ['an exponential draw far past the clock (mean 1e300 µs)', { kind: 'exponential', mean: 1e300 }, 9_007_199_254_740_991],
  ];
  for (const [what, d, expected] of saturating) {
    it(`sampleNonNegativeInt saturates ${what} at MAX_SIM_TIME_US`, () => {
      assert.equal(sampleNonNegativeInt(d, new RandomStreams(1).stream('saturate')), expected);
    });
  }

  const means: Array<[Distribution, number]> = [
    [{ kind: 'constant', value: 42 }, 42],
    [{ kind: 'uniform', min: 10, max: 20 }, 15],
    [{ kind: 'exponential', mean: 300 }, 300],
    [{ kind: 'normal', mean: -3, stddev: 9 }, -3],
    // sigma = ln(5) / Z_99 = 0.69183...; mean = 1e6 * exp(sigma^2 / 2)
    [{ kind: 'lognormal', p50: 1_000_000, p99: 5_000_000 }, 1_000_000 * Math.exp((Math.log(5) / Z_99) ** 2 / 2)],
  ];
  for (const [d, expected] of means) {
    it(`distributionMean of ${describeDistribution(d)} is ${expected}`, () => {
      assert.ok(Math.abs(distributionMean(d) - expected) <= 1e-9 * Math.max(1, Math.abs(expected)));
    });
  }

  it('lognormal analytic mean matches the empirical mean', () => {
    const d: Distribution = { kind: 'lognormal', p50: 1_000_000, p99: 5_000_000 };
    assert.ok(Math.abs(distributionMean(d) - 1_270_378.1) < 0.01);
    assert.ok(relErr(mean(draw(d, 50_000)), distributionMean(d)) < 0.03);
  });

  const descriptions: Array<[Distribution, string]> = [
    [{ kind: 'constant', value: 5 }, 'constant(5)'],
    [{ kind: 'uniform', min: 1, max: 2.5 }, 'uniform(min=1, max=2.5)'],
    [{ kind: 'exponential', mean: 1000 }, 'exponential(mean=1000)'],
    [{ kind: 'normal', mean: 10, stddev: 2 }, 'normal(mean=10, stddev=2)'],
    [{ kind: 'lognormal', p50: 1_000_000, p99: 5_000_000 }, 'lognormal(p50=1000000, p99=5000000)'],
  ];
  for (const [d, text] of descriptions) {
    it(`describes ${d.kind} as ${text}`, () => {
      assert.equal(describeDistribution(d), text);
    });
  }

  const validity: Array<[Distribution, number]> = [
    [{ kind: 'constant', value: 1 }, 0],
    [{ kind: 'constant', value: Number.NaN }, 1],
    [{ kind: 'uniform', min: 2, max: 1 }, 1],
    [{ kind: 'exponential', mean: 0 }, 1],
    [{ kind: 'normal', mean: 1, stddev: -1 }, 1],
    [{ kind: 'lognormal', p50: 0, p99: 1 }, 1],
    [{ kind: 'lognormal', p50: 10, p99: 5 }, 1],
    [{ kind: 'lognormal', p50: 10, p99: 50 }, 0],
  ];
  for (const [d, problems] of validity) {
    it(`validateDistribution reports ${problems} problem(s) for ${describeDistribution(d)}`, () => {
      assert.equal(validateDistribution(d).length, problems);
    });
  }
});
