// `--target METRIC OP VALUE`: what a capacity probe must meet, over summary.csv's columns.
import { InputError } from '../api/input-error.js';
import { closest } from '../api/suggest.js';
import { columnsOf } from '../metrics/schema.js';

export type TargetOp = '<' | '<=' | '=' | '>=' | '>';

export interface Target {
  /** The summary.csv column. */
  readonly metric: string;
  readonly op: TargetOp;
  readonly value: number;
  /** As written in capacity.csv: `missing=0`. */
  readonly text: string;
}

/** Short names for the columns people ask about most. */
const ALIASES: Readonly<Record<string, string>> = { pending: 'pods_unbound_end' };

type SummaryRow = Readonly<Record<string, string | number | null>>;

/** Targets computed from several summary.csv columns. `missing`: what the workload lacks at
 * the end — the larger of the live pods left unbound and the desired replicas of its
 * controllers that are not ready (a replica left unbound is both, so it counts once). Unbound
 * pods alone miss pods stranded on nodes that failed for good: a zone partially down evicts
 * nothing (upstream node lifecycle controller, ReducedQPSFunc for zones of 50 nodes or fewer),
 * so its pods stay bound and not ready. */
const DERIVED: Readonly<Record<string, (row: SummaryRow) => number>> = {
  missing: (row) => Math.max(numberOf(row['pods_unbound_end']), numberOf(row['replicas_desired_end']) - numberOf(row['replicas_ready_end'])),
};

function numberOf(v: string | number | null | undefined): number {
  return v === undefined || v === null || v === '' ? Number.NaN : Number(v);
}

/** Numeric summary.csv columns a target may name. */
function metricNames(): string[] {
  return columnsOf('summary.csv').filter((c) => c.type === 'integer' || c.type === 'decimal').map((c) => c.name).filter((n) => n !== 'seed');
}

export function parseTarget(s: string): Target {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(<=|>=|==|=|<|>)\s*(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)\s*$/.exec(s);
  if (m === null) throw new InputError('--target', 0, 0, '', 'METRIC OP VALUE, e.g. pending=0 or sched_latency_p99_ms<5000 (OP one of < <= = >= >)', JSON.stringify(s));
  const name = m[1] as string;
  const metric = ALIASES[name] ?? name;
  const known = metricNames();
  if (!known.includes(metric) && !Object.hasOwn(DERIVED, metric)) {
    const near = closest(name, [...Object.keys(ALIASES), ...Object.keys(DERIVED), ...known]);
    throw new InputError('--target', 0, 0, '', `a numeric summary.csv column, "missing" or "pending"${near !== null ? ` (did you mean ${near}?)` : ''}`, JSON.stringify(name));
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

/** The metric's value in a summary row (NaN when empty: no pod bound, for a latency). */
export function metricValue(t: Target, row: SummaryRow): number {
  return Object.hasOwn(DERIVED, t.metric) ? (DERIVED[t.metric] as (r: SummaryRow) => number)(row) : numberOf(row[t.metric]);
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
