// Scenario distributions of durations: "5s" (constant) or {constant|uniform|exponential|normal|
// lognormal: ...}, turned into engine Distributions in microseconds.
import { parseDuration } from '../api/duration.js';
import { FieldError } from '../api/field-error.js';
import { lognormal, type Distribution } from '../engine/distributions.js';

export function parseDurationDistribution(raw: unknown): Distribution {
  if (typeof raw === 'string') return { kind: 'constant', value: parseDuration(raw) };
  const o = raw as Record<string, Record<string, string> | string>;
  if (o['constant'] !== undefined) return { kind: 'constant', value: parseDuration(o['constant'] as string, 'constant') };
  const d = (key: string, field: string): number => parseDuration((o[key] as Record<string, string>)[field] as string, `${key}.${field}`);
  if (o['uniform'] !== undefined) {
    const min = d('uniform', 'min');
    const max = d('uniform', 'max');
    if (max < min) throw new FieldError('uniform.max', 'a value >= uniform.min');
    return { kind: 'uniform', min, max };
  }
  if (o['exponential'] !== undefined) return { kind: 'exponential', mean: d('exponential', 'mean') };
  if (o['normal'] !== undefined) return { kind: 'normal', mean: d('normal', 'mean'), stddev: d('normal', 'stddev') };
  if (o['lognormal'] !== undefined) {
    const p50 = d('lognormal', 'p50');
    const p99 = d('lognormal', 'p99');
    if (p50 <= 0) throw new FieldError('lognormal.p50', 'a positive duration');
    if (p99 < p50) throw new FieldError('lognormal.p99', 'a value >= lognormal.p50');
    return lognormal(p50, p99);
  }
  throw new FieldError('', 'a duration or one of constant, uniform, exponential, normal, lognormal');
}

