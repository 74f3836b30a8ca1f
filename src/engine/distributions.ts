import type { RandomStream } from './random.js';
import { MAX_SIM_TIME_US } from './time.js';

/**
 * A probability distribution as written in scenarios. Units are whatever the
 * caller uses (the scenario loader passes microseconds).
 */
export type Distribution =
  | { kind: 'constant'; value: number }
  | { kind: 'uniform'; min: number; max: number }
  | { kind: 'exponential'; mean: number }
  | { kind: 'normal'; mean: number; stddev: number }
  /** Given by median and 99th percentile: mu = ln(p50), sigma = (ln(p99) - ln(p50)) / z(0.99).
   * `mu` and `sigma` are kept by lognormal() (not enumerable: the object reads and prints as
   * written); without them sample() works them out per draw. */
  | { kind: 'lognormal'; p50: number; p99: number; readonly mu?: number; readonly sigma?: number };

/** Standard normal quantile at 0.99. */
export const Z_99 = 2.3263478740408408;

const TWO_PI = 2 * Math.PI;

/**
 * One standard normal draw by Box–Muller. Always consumes exactly two values
 * from the stream and keeps no spare, so the stream position depends only on
 * the number of calls.
 */
function standardNormal(rng: RandomStream): number {
  const u1 = rng.next();
  const u2 = rng.next();
  // 1 - u1 is in (0, 1], so the log is finite.
  return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(TWO_PI * u2);
}

function lognormalParams(p50: number, p99: number): { mu: number; sigma: number } {
  const mu = Math.log(p50);
  return { mu, sigma: (Math.log(p99) - mu) / Z_99 };
}

/** Draws one real value. `constant` does not advance the stream. */
export function sample(d: Distribution, rng: RandomStream): number {
  switch (d.kind) {
    case 'constant':
      return d.value;
    case 'uniform':
      return d.min + (d.max - d.min) * rng.next();
    case 'exponential':
      return -d.mean * Math.log(1 - rng.next());
    case 'normal':
      return d.mean + d.stddev * standardNormal(rng);
    case 'lognormal': {
      let mu = d.mu;
      let sigma = d.sigma;
      if (mu === undefined || sigma === undefined) ({ mu, sigma } = lognormalParams(d.p50, d.p99));
      return Math.exp(mu + sigma * standardNormal(rng));
    }
  }
}

/** A lognormal distribution with its mu and sigma worked out once: they took two of the three
 * logarithms of every draw, and every API write draws four to five latencies. */
export function lognormal(p50: number, p99: number): Distribution {
  const { mu, sigma } = lognormalParams(p50, p99);
  const d = { kind: 'lognormal' as const, p50, p99 };
  Object.defineProperty(d, 'mu', { value: mu });
  Object.defineProperty(d, 'sigma', { value: sigma });
  return d;
}

/** Draws one value rounded to the nearest integer and clamped to [0, MAX_SIM_TIME_US] (for
 * durations in µs: a long-tailed draw, e.g. a lognormal with a huge p99, saturates at the end of
 * the clock instead of overflowing it). */
export function sampleNonNegativeInt(d: Distribution, rng: RandomStream): number {
  const v = Math.round(sample(d, rng));
  if (!(v > 0)) return 0;
  return v < MAX_SIM_TIME_US ? v : MAX_SIM_TIME_US;
}

/**
 * Analytic mean of the distribution (lognormal: exp(mu + sigma²/2)).
 * Note this is the mean of `sample`, not of `sampleNonNegativeInt`, which
 * differs when clamping at 0 matters (e.g. a normal with mean near 0).
 */
export function distributionMean(d: Distribution): number {
  switch (d.kind) {
    case 'constant':
      return d.value;
    case 'uniform':
      return (d.min + d.max) / 2;
    case 'exponential':
      return d.mean;
    case 'normal':
      return d.mean;
    case 'lognormal': {
      const { mu, sigma } = lognormalParams(d.p50, d.p99);
      return Math.exp(mu + (sigma * sigma) / 2);
    }
  }
}

/** Human-readable form, e.g. "lognormal(p50=1000000, p99=5000000)". */
export function describeDistribution(d: Distribution): string {
  switch (d.kind) {
    case 'constant':
      return `constant(${d.value})`;
    case 'uniform':
      return `uniform(min=${d.min}, max=${d.max})`;
    case 'exponential':
      return `exponential(mean=${d.mean})`;
    case 'normal':
      return `normal(mean=${d.mean}, stddev=${d.stddev})`;
    case 'lognormal':
      return `lognormal(p50=${d.p50}, p99=${d.p99})`;
  }
}

/**
 * Problems with a distribution's parameters (empty when valid): non-finite
 * numbers, min > max, mean <= 0 for exponential, stddev < 0, and for lognormal
 * p50 <= 0 or p99 < p50. For loaders that want to reject bad input early.
 */
export function validateDistribution(d: Distribution): string[] {
  const problems: string[] = [];
  const finite = (field: string, v: number): boolean => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      problems.push(`${d.kind}: ${field} must be a finite number, got ${String(v)}`);
      return false;
    }
    return true;
  };
  switch (d.kind) {
    case 'constant':
      finite('value', d.value);
      break;
    case 'uniform':
      if (finite('min', d.min) && finite('max', d.max) && d.min > d.max) {
        problems.push(`uniform: min (${d.min}) must be <= max (${d.max})`);
      }
      break;
    case 'exponential':
      if (finite('mean', d.mean) && d.mean <= 0) problems.push(`exponential: mean must be > 0, got ${d.mean}`);
      break;
    case 'normal':
      finite('mean', d.mean);
      if (finite('stddev', d.stddev) && d.stddev < 0) problems.push(`normal: stddev must be >= 0, got ${d.stddev}`);
      break;
    case 'lognormal':
      if (finite('p50', d.p50) && finite('p99', d.p99)) {
        if (d.p50 <= 0) problems.push(`lognormal: p50 must be > 0, got ${d.p50}`);
        else if (d.p99 < d.p50) problems.push(`lognormal: p99 (${d.p99}) must be >= p50 (${d.p50})`);
      }
      break;
    default:
      problems.push(`unknown distribution kind: ${String((d as { kind: unknown }).kind)}`);
  }
  return problems;
}
