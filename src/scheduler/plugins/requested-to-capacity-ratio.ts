// NodeResourcesFit's RequestedToCapacityRatio scoring strategy: a user-defined broken-linear
// function of each resource's utilisation, averaged with the resource weights.
// Upstream pkg/scheduler/framework/plugins/noderesources/requested_to_capacity_ratio.go,
// pkg/scheduler/framework/plugins/helper/shape_score.go (BuildBrokenLinearFunction) and the
// shape checks of pkg/scheduler/apis/config/validation/validation_pluginargs.go
// (validateFunctionShape).
import { FieldError, rejectUnknownFields } from '../../api/field-error.js';
import { MAX_NODE_SCORE } from '../framework/interfaces.js';
import { mulDiv } from './resource-allocation.js';

/** One point of the shape as configured: utilization 0–100, score 0–10. */
export interface UtilizationShapePoint {
  utilization: number;
  score: number;
}

/** Upstream config.MaxCustomPriorityScore: the top of the configured score scale. */
export const MAX_CUSTOM_PRIORITY_SCORE = 10;
const MIN_UTILIZATION = 0;
const MAX_UTILIZATION = 100;
const MIN_SCORE = 0;

/**
 * Parses and validates a shape at `path` like upstream's validateFunctionShape: at least one
 * point; utilization strictly increasing (reported at the first point that is not); then each
 * point's utilization in [0, 100] and score in [0, 10]. The first problem found is thrown.
 */
export function parseShape(raw: unknown, path: string): UtilizationShapePoint[] {
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    throw new FieldError(path, 'a shape of at least one point (upstream: "at least one point must be specified")', raw === undefined ? undefined : JSON.stringify(raw));
  }
  if (!Array.isArray(raw)) throw new FieldError(path, 'a list of {utilization, score} points');
  const points = raw.map((x: unknown, i: number): UtilizationShapePoint => {
    const p = `${path}[${i}]`;
    if (typeof x !== 'object' || x === null) throw new FieldError(p, 'an object with utilization and score');
    const o = x as Record<string, unknown>;
    rejectUnknownFields(o, ['utilization', 'score'], p);
    // Omitted fields are 0, as in the Go struct.
    const utilization = o['utilization'] ?? 0;
    const score = o['score'] ?? 0;
    if (typeof utilization !== 'number' || !Number.isInteger(utilization)) {
      throw new FieldError(`${p}.utilization`, `an integer in [${MIN_UTILIZATION}, ${MAX_UTILIZATION}]`, JSON.stringify(utilization));
    }
    if (typeof score !== 'number' || !Number.isInteger(score)) {
      throw new FieldError(`${p}.score`, `an integer in [${MIN_SCORE}, ${MAX_CUSTOM_PRIORITY_SCORE}]`, JSON.stringify(score));
    }
    return { utilization, score };
  });
  for (let i = 1; i < points.length; i++) {
    const u = (points[i] as UtilizationShapePoint).utilization;
    if ((points[i - 1] as UtilizationShapePoint).utilization >= u) {
      throw new FieldError(`${path}[${i}].utilization`, 'utilization values sorted in strictly increasing order', String(u));
    }
  }
  points.forEach((pt, i) => {
    if (pt.utilization < MIN_UTILIZATION || pt.utilization > MAX_UTILIZATION) {
      throw new FieldError(`${path}[${i}].utilization`, `a value in [${MIN_UTILIZATION}, ${MAX_UTILIZATION}]`, String(pt.utilization));
    }
    if (pt.score < MIN_SCORE || pt.score > MAX_CUSTOM_PRIORITY_SCORE) {
      throw new FieldError(`${path}[${i}].score`, `a value in [${MIN_SCORE}, ${MAX_CUSTOM_PRIORITY_SCORE}]`, String(pt.score));
    }
  });
  return points;
}

/**
 * helper.BuildBrokenLinearFunction: shape[0].score below the first point, shape[n-1].score
 * above the last, linear in between with Go's truncating integer division.
 */
export class BrokenLinearFunction {
  private readonly utilization: Float64Array;
  private readonly score: Float64Array;

  constructor(points: readonly UtilizationShapePoint[]) {
    this.utilization = Float64Array.from(points, (p) => p.utilization);
    this.score = Float64Array.from(points, (p) => p.score);
  }

  at(p: number): number {
    const u = this.utilization;
    const s = this.score;
    for (let i = 0; i < u.length; i++) {
      if (p <= (u[i] as number)) {
        if (i === 0) return s[0] as number;
        const u0 = u[i - 1] as number;
        const s0 = s[i - 1] as number;
        return s0 + Math.trunc((((s[i] as number) - s0) * (p - u0)) / ((u[i] as number) - u0));
      }
    }
    return s[s.length - 1] as number;
  }
}

/** Upstream requestedToCapacityRatioScorer's per-resource function; NodeResourcesFit averages
 * it over the resources with their weights. */
export class RequestedToCapacityRatioScorer {
  private readonly fn: BrokenLinearFunction;

  constructor(shape: readonly UtilizationShapePoint[]) {
    // The configured 0–10 scores are scaled to the scheduler's 0–100 (MaxNodeScore /
    // MaxCustomPriorityScore, an integer factor of 10).
    const factor = Math.trunc(MAX_NODE_SCORE / MAX_CUSTOM_PRIORITY_SCORE);
    this.fn = new BrokenLinearFunction(shape.map((p) => ({ utilization: p.utilization, score: p.score * factor })));
  }

  /** One resource: the shape at utilisation ⌊requested × 100 / capacity⌋, or at 100 when the
   * node has none of it or is over-committed. */
  resourceScore(requested: number, capacity: number): number {
    if (capacity === 0 || requested > capacity) return this.fn.at(MAX_UTILIZATION);
    return this.fn.at(mulDiv(requested, MAX_UTILIZATION, capacity));
  }
}
