// `--target METRIC OP VALUE`: what a capacity probe must meet, over summary.csv's columns or the
// sized pool's own peak requested ratios; `--target` given several times: all must hold.
import { InputError } from '../api/input-error.js';
import { closest } from '../api/suggest.js';
import { columnsOf } from '../metrics/schema.js';
import { poolPeakKey } from './probe-runner.js';

export type TargetOp = '<' | '<=' | '=' | '>=' | '>';

export interface Target {
  /** The summary.csv column, a DERIVED name (missing) or a POOL_METRICS name. */
  readonly metric: string;
  readonly op: TargetOp;
  readonly value: number;
  /** As written in capacity.csv: `missing=0`. */
  readonly text: string;
}

/** Short names for the columns people ask about most. */
const ALIASES: Readonly<Record<string, string>> = { pending: 'pods_unbound_end' };

type SummaryRow = Readonly<Record<string, string | number | null>>;

/** Targets computed from several summary.csv columns. `missing`: what the workload lacked —
 * the larger of the live pods left unbound at the end and the desired replicas of its
 * controllers that are not ready (a replica left unbound is both, so it counts once), plus the
 * pods without an owner deleted before they were ever placed (pods_deleted_unbound: a trace's
 * pod whose deletion time came while it waited, the FGD replay's pod that missed its deadline;
 * no controller replaces them, so they are in neither of the other two). Unbound pods alone miss
 * pods stranded on nodes that failed for good: a zone partially down evicts nothing (upstream
 * node lifecycle controller, ReducedQPSFunc for zones of 50 nodes or fewer), so its pods stay
 * bound and not ready; and they miss the pods that gave up waiting: a trace replayed on 0 nodes
 * of a pool its pods needed ended with none pending, all deleted unplaced. (A row without the
 * column, written before it was, counts none.) */
const DERIVED: Readonly<Record<string, (row: SummaryRow) => number>> = {
  missing: (row) => Math.max(numberOf(row['pods_unbound_end']), numberOf(row['replicas_desired_end']) - numberOf(row['replicas_ready_end'])) + numberOf(row['pods_deleted_unbound'] ?? 0),
};

/** The sized pool's own peak requested ratio of a resource: the highest Σ requests / Σ
 * allocatable over the pool's Ready nodes at any instant of the run (RunResult.poolPeaks), the
 * figure capacity.csv's headroom columns are 1 − of. `pool_cpu_requested_peak_ratio<=0.8`: the
 * pool keeps 20 % of its CPU free at peak. Only `ksim capacity --nodes-for POOL` has a pool.
 * Extended resources (POOL_EXTENDED) are named the same way, the resource as it is:
 * `pool_nvidia.com/gpu_requested_peak_ratio`, `pool_alibaba.com/gpu-milli_requested_peak_ratio`. */
export const POOL_METRICS: Readonly<Record<string, string>> = {
  pool_cpu_requested_peak_ratio: 'cpu',
  pool_memory_requested_peak_ratio: 'memory',
};

/** `pool_<resource>_requested_peak_ratio` of an extended resource (a name with a domain prefix,
 * `nvidia.com/gpu`: the only resources besides cpu and memory a pool's peaks have). */
const POOL_EXTENDED = /^pool_([A-Za-z0-9][A-Za-z0-9.-]*\/[A-Za-z0-9._-]+)_requested_peak_ratio$/;

/** The resource of a pool metric (cpu, memory, or an extended resource), null for another name. */
export function poolMetricResource(metric: string): string | null {
  if (Object.hasOwn(POOL_METRICS, metric)) return POOL_METRICS[metric] as string;
  return POOL_EXTENDED.exec(metric)?.[1] ?? null;
}

export function isPoolMetric(metric: string): boolean {
  return poolMetricResource(metric) !== null;
}

function numberOf(v: string | number | null | undefined): number {
  return v === undefined || v === null || v === '' ? Number.NaN : Number(v);
}

/** Numeric summary.csv columns a target may name. */
function metricNames(): string[] {
  return columnsOf('summary.csv').filter((c) => c.type === 'integer' || c.type === 'decimal').map((c) => c.name).filter((n) => n !== 'seed');
}

export function parseTarget(s: string): Target {
  // A metric name may hold '.', '/' and '-': a pool metric of an extended resource.
  const m = /^\s*([A-Za-z_][A-Za-z0-9_./-]*)\s*(<=|>=|==|=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/.exec(s);
  if (m === null) throw new InputError('--target', 0, 0, '', 'METRIC OP VALUE, e.g. pending=0 or sched_latency_p99_ms<5000 (OP one of < <= = >= >)', JSON.stringify(s));
  const name = m[1] as string;
  const metric = ALIASES[name] ?? name;
  const known = metricNames();
  if (!known.includes(metric) && !Object.hasOwn(DERIVED, metric) && !isPoolMetric(metric)) {
    // Not a syntax error: the name is unknown. Said so, with the names there are.
    const near = closest(name, [...Object.keys(ALIASES), ...Object.keys(DERIVED), ...Object.keys(POOL_METRICS), ...known]);
    throw new InputError('--target', 0, 0, `no such metric ${JSON.stringify(name)}${near !== null ? ` (did you mean ${near}?)` : ''}`, `one of missing, pending, a numeric summary.csv column (${known.join(', ')}), or a pool metric pool_<resource>_requested_peak_ratio (pool_cpu_requested_peak_ratio, pool_memory_requested_peak_ratio, or an extended resource's: pool_nvidia.com/gpu_requested_peak_ratio)`, JSON.stringify(s));
  }
  const op = (m[2] === '==' ? '=' : m[2]) as TargetOp;
  const value = Number(m[3]);
  // Every summary.csv metric (counts, latencies, ratios, costs) and missing are ≥ 0: such a
  // target is met by no count, and the search ended saying more nodes did not help because of
  // pending pods, which was not why.
  if ((op === '<' && value <= 0) || ((op === '<=' || op === '=') && value < 0)) {
    throw new InputError('--target', 0, 0, '', `a target some run can meet: ${name} is never below 0, so no count of nodes meets ${name}${op}${value} (did you mean ${name}${op === '<' ? '<=' : op}0?)`, JSON.stringify(s));
  }
  return { metric, op, value, text: `${metric}${op}${value}` };
}

/** The metric's value in a probe's row (NaN when empty: no pod bound, for a latency; for a pool
 * metric, a pool with no node). A pool metric reads the pool's peak (probeRow's keys). */
export function metricValue(t: Target, row: SummaryRow, pool?: string): number {
  if (isPoolMetric(t.metric)) {
    if (pool === undefined) throw new Error(`${t.metric} needs the pool being sized`);
    return numberOf(row[poolPeakKey(pool, poolMetricResource(t.metric) as string)]);
  }
  return Object.hasOwn(DERIVED, t.metric) ? (DERIVED[t.metric] as (r: SummaryRow) => number)(row) : numberOf(row[t.metric]);
}

/** Several `--target`s (all must hold), each as parseTarget reads it. The same metric twice is
 * refused: the same bound again (a duplicate), bounds no value meets together (contradictory:
 * no count could meet them), or two bounds of one metric (a range: the search assumes more
 * nodes never hurt, so it can only push a metric one way). */
export function parseTargets(list: readonly string[]): Target[] {
  const out: Target[] = [];
  for (const s of list) {
    const t = parseTarget(s);
    const same = out.find((x) => x.metric === t.metric);
    if (same !== undefined) {
      if (same.text === t.text) throw new InputError('--target', 0, 0, '', 'each target once', `${t.text} twice`);
      if (!compatible(same, t)) throw new InputError('--target', 0, 0, '', `targets that can hold together: no value of ${t.metric} meets both ${same.text} and ${t.text}`, `--target ${JSON.stringify(same.text)} --target ${JSON.stringify(t.text)}`);
      const stricter = implies(same, t) ? same : implies(t, same) ? t : null;
      throw new InputError('--target', 0, 0, '', `one target per metric${stricter !== null ? ` (${stricter.text} alone says both)` : ' (a count of nodes can push a metric only one way)'}`, `${same.text} and ${t.text}`);
    }
    out.push(t);
  }
  return out;
}

/** Some value ≥ 0 (no metric is below 0) meets both bounds of one metric. */
function compatible(a: Target, b: Target): boolean {
  return candidates(a, b).some((v) => meets(a, v) && meets(b, v));
}

/** Every value ≥ 0 that meets a meets b. */
function implies(a: Target, b: Target): boolean {
  return candidates(a, b).every((v) => !meets(a, v) || meets(b, v));
}

/** A value ≥ 0 in every stretch the two bounds cut the line into (meeting them does not change
 * within one): 0, each bound, just either side of it, and above both. */
function candidates(a: Target, b: Target): number[] {
  const eps = 1e-9;
  return [0, a.value, b.value, a.value - eps, a.value + eps, b.value - eps, b.value + eps, Math.max(a.value, b.value) + 1].filter((v) => v >= 0);
}

/** Whether a value meets the target; an empty value (NaN) never does. */
export function meets(t: Target, v: number): boolean {
  if (Number.isNaN(v)) return false;
  switch (t.op) {
    case '<': return v < t.value;
    case '<=': return v <= t.value;
    case '=': return v === t.value;
    case '>=': return v >= t.value;
    case '>': return v > t.value;
  }
}

/** How far a value is from meeting the target the wrong way (larger is worse); NaN is worst. */
export function badness(t: Target, v: number): number {
  if (Number.isNaN(v)) return Number.POSITIVE_INFINITY;
  switch (t.op) {
    case '<':
    case '<=': return v - t.value;
    case '>':
    case '>=': return t.value - v;
    case '=': return Math.abs(v - t.value);
  }
}

/** One target or several, as a list (callers with one target pass it alone). */
export function targetList(t: Target | readonly Target[]): readonly Target[] {
  return Array.isArray(t) ? t : [t as Target];
}

/** Several targets as one phrase: "missing=0", "missing=0 and pending=0", "a, b and c". */
export function targetsText(targets: readonly Target[]): string {
  const t = targets.map((x) => x.text);
  return t.length <= 1 ? (t[0] ?? '') : `${t.slice(0, -1).join(', ')} and ${t.at(-1) as string}`;
}

/** Of two probes' worst values per target (in the targets' order), whether the second (`to`)
 * does no better than the first: no target `from` failed is nearer being met at `to`. (Targets
 * `from` met are no sign either way.) With one target, failed at both: its badness did not drop.
 * A count at which pods stop being left over but the pool is still too full (missing 2 → 0,
 * pool_cpu_requested_peak_ratio 0.75 → 0.75) did better. */
export function noBetter(targets: readonly Target[], to: readonly number[], from: readonly number[]): boolean {
  return targets.every((t, i) => meets(t, from[i] as number) || badness(t, to[i] as number) >= badness(t, from[i] as number));
}

/** The target a probe's row shows (capacity.csv's target and target_value): the first it does
 * not meet, else the first. */
export function decidingTarget(targets: readonly Target[], values: readonly number[]): number {
  const i = targets.findIndex((t, k) => !meets(t, values[k] as number));
  return i < 0 ? 0 : i;
}
