// `ksim compare BASE CANDIDATE`: metric by metric, two runs (value, value, change, plus what
// moved: pods on another node or zone, per-node utilisation) or two sweeps, per matrix cell: when
// both ran the same seeds, runs paired by seed (and matrix values): the means over the pairs, the
// mean per-seed difference and its 95% interval (the exact sign-flip test's from 6 pairs, Student
// t's below); else the means over the ok runs, their difference and its Welch interval
// (intervals.ts says why). And the regression gate:
// --fail-on bounds crossed, bounds with nothing to judge (or candidate runs with an empty value),
// and candidate runs that failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from '../api/duration.js';
import { InputError } from '../api/input-error.js';
import { canonicalQuantityText } from '../api/quantity.js';
import { SCHEMAS } from '../metrics/schema.js';
import { mean, pairedMeanChange, welchMeanChange, type MeanChange } from './intervals.js';
import { SWEEP_CSV, SWEEP_JSON } from './sweep.js';

/** summary.csv's numeric columns but the seed: what compare compares. */
export const METRICS: readonly string[] = SCHEMAS['summary.csv'].filter((c) => (c.type === 'integer' || c.type === 'decimal') && c.name !== 'seed').map((c) => c.name);

export interface CompareOptions {
  /** --fail-on bounds: METRIC:+5%, METRIC:-5%, METRIC:+2. */
  readonly failOn?: readonly string[];
  /** @deprecated No effect: compare no longer resamples (t intervals since the gate fix). */
  readonly resamples?: number;
  /** @deprecated No effect, as resamples. */
  readonly seed?: number;
}

/** How a matrix cell of two sweeps is compared: runs paired by seed (both sweeps ran the same
 * seeds in that cell) or the two sides' means compared (unpaired). */
export type SweepTest = 'paired' | 'unpaired';

/** A matrix cell's test, and why it is not paired when it is not. */
export interface CellTest {
  readonly group: string;
  readonly test: SweepTest;
  /** 'the seeds differ', 'the candidate has no runs in this matrix cell', 'the base has no runs in this matrix cell'. */
  readonly unpairedBecause?: string;
}

export interface MetricComparison {
  /** The matrix cell ("path=value, ..."), '' for runs and sweeps without a matrix. */
  readonly group: string;
  readonly metric: string;
  /** The value (runs); for sweeps, the mean over the paired runs (paired) or the mean over the
   * ok runs (unpaired); null when there is none. */
  readonly base: number | null;
  readonly candidate: number | null;
  /** candidate − base: paired, the mean of the per-seed differences. */
  readonly difference: number | null;
  /** difference / |base| (±Infinity from a base of 0). */
  readonly changeRatio: number | null;
  /** Sweeps only. Paired: both are the number of pairs (seeds ok on both sides with a value). */
  readonly nBase?: number;
  readonly nCandidate?: number;
  /** The 95% interval of the change (null: none, see intervals.ts). */
  readonly ciLow?: number | null;
  readonly ciHigh?: number | null;
  /** The interval excludes 0. */
  readonly significant?: boolean;
  /** Sweeps: the test of the row's matrix cell. */
  readonly test?: SweepTest;
  /** What gave the interval (intervals.ts): paired, the sign-flip test from 6 pairs, Student t
   * below; unpaired, Welch's t (the permutation probability for two constant sides). */
  readonly interval?: MeanChange['method'];
}

export interface FailOnBound {
  readonly text: string;
  readonly metric: string;
  /** +: fail on a rise beyond the bound; -: on a fall beyond it. */
  readonly sign: 1 | -1;
  readonly amount: number;
  readonly relative: boolean;
}

export interface Crossing {
  readonly bound: FailOnBound;
  readonly comparison: MetricComparison;
}

/** A bound the gate cannot judge in a matrix cell, so it cannot pass (fail closed): no pairs
 * (no runs, unpaired) have a value of its metric there ('no-pairs'), the change goes beyond
 * the bound but has no interval to tell it from noise ('no-interval': one pair, or the same
 * change on every one of fewer than 6 pairs; intervals.ts), or candidate runs that finished have
 * no value of it ('empty-candidate': an empty time_to_full_availability_max_s is a run that
 * never recovered, which no number stands for; left out, it would let that candidate pass). */
export interface Unjudged {
  readonly bound: FailOnBound;
  readonly group: string;
  readonly why: 'no-pairs' | 'no-interval' | 'empty-candidate';
  /** 'empty-candidate': the seeds of the candidate's ok runs with an empty value ([] for runs),
   * and how many ok runs the candidate has there. */
  readonly seeds?: readonly string[];
  readonly runs?: number;
  /** 'no-pairs' in a matrix cell only one sweep ran: the side that has no runs there. */
  readonly missing?: 'base' | 'candidate';
  /** 'no-interval': the comparison beyond the bound. */
  readonly comparison?: MetricComparison;
}

/** One side's runs of one matrix cell that were not ok (left out of the comparison). */
export interface DroppedRuns {
  readonly group: string;
  readonly side: 'base' | 'candidate';
  /** The side's runs in the cell. */
  readonly runs: number;
  /** Its runs not ok, by status (error, crashed, ...). */
  readonly byStatus: Readonly<Record<string, number>>;
  /** Their seeds, in the order of sweep.csv. */
  readonly seeds: readonly string[];
}

export interface NodeChange {
  readonly node: string;
  readonly basePods: number | null;
  readonly candidatePods: number | null;
  readonly baseCpuRatio: number | null;
  readonly candidateCpuRatio: number | null;
  readonly baseMemoryRatio: number | null;
  readonly candidateMemoryRatio: number | null;
}

export interface PlacementDiff {
  /** Pods (namespace/name) in both runs' pods.csv. */
  readonly podsInBoth: number;
  readonly onlyInBase: number;
  readonly onlyInCandidate: number;
  /** Bound in both, to different nodes / zones. */
  readonly movedNode: number;
  readonly movedZone: number;
  /** Bound in one run only. */
  readonly boundInBaseOnly: number;
  readonly boundInCandidateOnly: number;
  /** Every node of either run, by name, with its utilisation at the end (nodes.csv). */
  readonly nodes: readonly NodeChange[];
}

export interface CompareResult {
  readonly kind: 'runs' | 'sweeps';
  readonly base: string;
  readonly candidate: string;
  /** Sweeps: the matrix paths (group names are made of them). */
  readonly matrix: readonly string[];
  readonly metrics: readonly MetricComparison[];
  readonly placement: PlacementDiff | null;
  readonly bounds: readonly FailOnBound[];
  readonly crossings: readonly Crossing[];
  /** Sweeps: bounds the gate cannot judge in a cell (it fails on them too). */
  readonly unjudged: readonly Unjudged[];
  /** Sweeps: the runs not ok, per cell and side (empty for runs). */
  readonly dropped: readonly DroppedRuns[];
  /** Sweeps: the matrix cells each side ran. */
  readonly cells?: { readonly base: readonly string[]; readonly candidate: readonly string[] };
  /** Sweeps: the test used — 'mixed' when some matrix cells are paired and others not (each
   * cell is paired when its runs pair: cellTests) — and, when no cell is paired, why (the first
   * cell's reason, naming it). */
  readonly test?: SweepTest | 'mixed';
  readonly unpairedBecause?: string;
  /** Sweeps: each matrix cell's test, in the order of `metrics`. */
  readonly cellTests?: readonly CellTest[];
  /** Sweeps whose sweep.json record different --set values: each side's values the other lacks
   * (absent when they agree or a side has no readable sweep.json). */
  readonly setDifference?: { readonly base: readonly string[]; readonly candidate: readonly string[] };
  /** Sides whose sweep.json says they are one shard of a sweep (`--shard I/N`, not merged). */
  readonly shards?: readonly { readonly side: 'base' | 'candidate'; readonly index: number; readonly count: number }[];
  /** The gate's verdict (null without --fail-on bounds): failed when a bound is crossed or cannot
   * be judged, or a candidate run failed (fail closed: a candidate that crashes on
   * some seeds is not let through on the others). Base runs that failed do not fail it: the
   * candidate is not to blame, and the pull request fixing them must pass; their seeds are
   * named as left out. */
  readonly gate: 'passed' | 'failed' | null;
}

type Rec = Record<string, string>;

function readCsv(path: string): { header: string[]; rows: Rec[] } {
  let records: string[][];
  try {
    records = parse(readFileSync(path, 'utf8')) as string[][];
  } catch (e) {
    throw new InputError(path, 0, 0, '', 'CSV as ksim writes it', (e as Error).message.split('\n')[0]);
  }
  const [header = [], ...body] = records;
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

function kindOf(dir: string): 'runs' | 'sweeps' {
  if (existsSync(join(dir, SWEEP_CSV))) return 'sweeps';
  if (existsSync(join(dir, 'summary.csv'))) return 'runs';
  throw new InputError(dir, 0, 0, '', `a run folder (with summary.csv) or a sweep folder (with ${SWEEP_CSV})`, existsSync(dir) ? 'neither file' : 'no such folder');
}

/** A number from a CSV field; null for an empty one. */
function num(v: string | undefined): number | null {
  if (v === undefined || v === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

export function parseFailOn(text: string): FailOnBound {
  const m = /^([A-Za-z0-9_]+):([+-])(\d+(?:\.\d+)?)(%?)$/.exec(text.trim());
  if (m === null) throw new InputError('--fail-on', 0, 0, '', 'METRIC:+N% or METRIC:-N% (relative) or METRIC:+N or METRIC:-N (absolute), e.g. sched_latency_p99_ms:+5%', JSON.stringify(text));
  const metric = m[1]!;
  if (!METRICS.includes(metric)) throw new InputError('--fail-on', 0, 0, '', `a summary.csv metric (${METRICS.join(', ')})`, JSON.stringify(metric));
  return { text: text.trim(), metric, sign: m[2] === '+' ? 1 : -1, amount: Number(m[3]), relative: m[4] === '%' };
}

function comparison(group: string, metric: string, base: number | null, candidate: number | null): MetricComparison {
  const difference = base !== null && candidate !== null ? candidate - base : null;
  const changeRatio = difference === null || base === null ? null : ratio(base, difference);
  return { group, metric, base, candidate, difference, changeRatio };
}

/** A change relative to the base: ±Infinity from a base of 0 (0 when nothing changed). */
function ratio(base: number, difference: number): number {
  return base === 0 ? (difference === 0 ? 0 : Math.sign(difference) * Infinity) : difference / Math.abs(base);
}

/** The change goes beyond the bound in its direction, significant or not. */
export function beyond(b: FailOnBound, c: MetricComparison): boolean {
  const change = b.relative ? (c.changeRatio === null ? null : c.changeRatio * 100) : c.difference;
  if (change === null) return false;
  return b.sign > 0 ? change > b.amount : change < -b.amount;
}

/** The bound is crossed: the change goes beyond it in its direction (and, for sweeps, the
 * change is significant: its 95% interval excludes 0). */
export function crosses(b: FailOnBound, c: MetricComparison): boolean {
  return c.significant !== false && beyond(b, c);
}

export function compare(baseDir: string, candidateDir: string, opts: CompareOptions = {}): CompareResult {
  const bounds = (opts.failOn ?? []).map(parseFailOn);
  const kind = kindOf(baseDir);
  const other = kindOf(candidateDir);
  if (other !== kind) throw new InputError(candidateDir, 0, 0, '', `a ${kind === 'runs' ? 'run folder (with summary.csv)' : `sweep folder (with ${SWEEP_CSV})`} like ${baseDir}`, `a ${other === 'runs' ? 'run' : 'sweep'} folder`);
  let result: Omit<CompareResult, 'bounds' | 'crossings' | 'unjudged' | 'gate'>;
  /** Per matrix cell, the candidate's ok runs as read (run folders: the one row). */
  let candidateOk: (group: string) => Rec[];
  /** Each side's ok runs, every cell (run folders: the one row). */
  let okRuns: { base: readonly Rec[]; candidate: readonly Rec[] };
  if (kind === 'runs') {
    const b = readCsv(join(baseDir, 'summary.csv')).rows[0] ?? {};
    const c = readCsv(join(candidateDir, 'summary.csv')).rows[0] ?? {};
    result = {
      kind, base: baseDir, candidate: candidateDir, matrix: [],
      metrics: METRICS.filter((m) => m in b || m in c).map((m) => comparison('', m, num(b[m]), num(c[m]))),
      placement: placementDiff(baseDir, candidateDir),
      dropped: [],
    };
    candidateOk = () => [c];
    okRuns = { base: [b], candidate: [c] };
  } else {
    const sweeps = compareSweeps(baseDir, candidateDir);
    result = sweeps.result;
    candidateOk = (g) => sweeps.candidateRows.filter((r) => r['status'] === 'ok' && sweeps.groupOf(r) === g);
    okRuns = { base: sweeps.baseRows.filter((r) => r['status'] === 'ok'), candidate: sweeps.candidateRows.filter((r) => r['status'] === 'ok') };
  }
  for (const bound of bounds) noValuesAnywhere(bound, okRuns.base, okRuns.candidate, kind);
  const crossings = bounds.flatMap((bound) => result.metrics.filter((c) => c.metric === bound.metric && crosses(bound, c)).map((comparison) => ({ bound, comparison })));
  // Sweeps: a cell where no pairs have a value (every candidate run failed, say) cannot pass.
  const cells = [...new Set(result.metrics.map((c) => c.group))];
  const unjudged: Unjudged[] = bounds.flatMap((bound) => cells.flatMap((group): Unjudged[] => {
    const okRuns = candidateOk(group);
    const empty = okRuns.filter((r) => num(r[bound.metric]) === null);
    // Checked first: with no value on either side the candidate's empties are the reason too.
    if (empty.length > 0) return [{ bound, group, why: 'empty-candidate', seeds: kind === 'runs' ? [] : empty.map((r) => r['seed'] ?? ''), runs: okRuns.length }];
    const c = result.metrics.find((x) => x.group === group && x.metric === bound.metric && x.difference !== null);
    if (c === undefined) {
      const missing = !result.cells?.base.includes(group) ? 'base' : !result.cells?.candidate.includes(group) ? 'candidate' : undefined;
      return [{ bound, group, why: 'no-pairs', ...(missing !== undefined ? { missing } : {}) }];
    }
    return c.ciLow === null && beyond(bound, c) ? [{ bound, group, why: 'no-interval', comparison: c }] : [];
  }));
  const failed = crossings.length > 0 || unjudged.length > 0 || result.dropped.some((d) => d.side === 'candidate');
  return { ...result, bounds, crossings, unjudged, gate: bounds.length === 0 ? null : failed ? 'failed' : 'passed' };
}

/** Where summary.csv's metrics come from when a run may leave them empty: what a --fail-on on a
 * metric that no run has a value of is told. */
const EMPTY_WHEN: Readonly<Record<string, string>> = {
  cost_per_hour: "is written only when node pools have a costPerHour (cluster.nodePools[].costPerHour, one node's price per hour; README, summary.csv)",
  time_to_full_availability_max_s: 'is empty when no fault affected a workload (a scenario without faults) or its workloads were not whole again by the end of the run (README, summary.csv)',
  available_min_ratio: 'is empty when no fault affected a workload, as in a scenario without faults (README, summary.csv)',
  reschedule_p50_s: 'is empty when no evicted pod was replaced, as in a scenario without node faults (README, summary.csv)',
  reschedule_p99_s: 'is empty when no evicted pod was replaced, as in a scenario without node faults (README, summary.csv)',
  gpu_unallocated_at_100_pct: 'is written only in runs where a profile enables Open-Gpu-Share (README, GPU sharing)',
  gpu_unallocated_at_130_pct: 'is written only in runs where a profile enables Open-Gpu-Share (README, GPU sharing)',
  gpu_fragmentation_at_100_pct: 'is written only in runs where a profile enables Open-Gpu-Share (README, GPU sharing)',
};

/** A bound on a metric that no ok run of either side has a value of (an empty or absent column)
 * is a usage mistake, not a regression: refused (exit 2) with what gives the metric a value.
 * Not when a side has no ok run (failed runs are the gate's to judge), nor when only the
 * candidate lacks values (it fails the gate: 'empty-candidate'). */
function noValuesAnywhere(bound: FailOnBound, base: readonly Rec[], candidate: readonly Rec[], kind: 'runs' | 'sweeps'): void {
  if (base.length === 0 || candidate.length === 0) return;
  if ([...base, ...candidate].some((r) => num(r[bound.metric]) !== null)) return;
  const counts = kind === 'runs' ? 'the base run or the candidate run' : `any of the ${base.length} base and ${candidate.length} candidate runs`;
  const how = EMPTY_WHEN[bound.metric] ?? 'is empty in every run compared (README, summary.csv, says when it is)';
  throw new InputError(`--fail-on ${bound.text}`, 0, 0, '', 'a metric the compared runs have values of', `no ${bound.metric} value in ${counts} (nothing to gate on): ${bound.metric} ${how}`);
}

/** Why a cell has no pairs: "4 of 4 candidate runs dropped (4 error; seeds 1, 2, 3, 4)", both
 * sides' when both dropped runs; null when no run was dropped there. */
export function droppedText(dropped: readonly DroppedRuns[], group?: string, verb = 'dropped'): string | null {
  const parts: string[] = [];
  for (const side of ['base', 'candidate'] as const) {
    const ds = dropped.filter((d) => d.side === side && (group === undefined || d.group === group));
    if (ds.length === 0) continue;
    const byStatus = new Map<string, number>();
    for (const d of ds) for (const [st, n] of Object.entries(d.byStatus)) byStatus.set(st, (byStatus.get(st) ?? 0) + n);
    const failed = [...byStatus.values()].reduce((a, b) => a + b, 0);
    const runs = ds.reduce((a, d) => a + d.runs, 0);
    parts.push(`${failed} of ${runs} ${side} runs ${verb} (${[...byStatus].map(([st, n]) => `${n} ${st}`).join(', ')}; ${seedList(ds.flatMap((d) => d.seeds))})`);
  }
  return parts.length === 0 ? null : parts.join(' and ');
}

/** "seed 3", "seeds 3, 7", the first 10 of more and how many more; seeds of several matrix cells
 * once each. */
function seedList(seeds: readonly string[]): string {
  const unique = [...new Set(seeds)].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b));
  const shown = unique.slice(0, 10).join(', ');
  return `seed${unique.length === 1 ? '' : 's'} ${shown}${unique.length > 10 ? ` and ${unique.length - 10} more` : ''}`;
}

/** The matrix columns of a sweep.csv header: between seed and status. */
function matrixColumns(header: readonly string[], path: string): string[] {
  const s = header.indexOf('seed');
  const t = header.indexOf('status');
  if (header[0] !== 'run_id' || s !== 1 || t < s) throw new InputError(path, 1, 1, '', 'a sweep.csv header (run_id, seed, matrix paths, status, ...)', header.slice(0, 4).join(','));
  return header.slice(s + 1, t);
}

interface SweepComparison {
  readonly result: Omit<CompareResult, 'bounds' | 'crossings' | 'unjudged' | 'gate'>;
  readonly baseRows: readonly Rec[];
  readonly candidateRows: readonly Rec[];
  readonly groupOf: (r: Rec) => string;
}

function compareSweeps(baseDir: string, candidateDir: string): SweepComparison {
  const bPath = join(baseDir, SWEEP_CSV);
  const cPath = join(candidateDir, SWEEP_CSV);
  const b = readCsv(bPath);
  const c = readCsv(cPath);
  const matrix = matrixColumns(b.header, bPath);
  const cm = matrixColumns(c.header, cPath);
  if (cm.join('\n') !== matrix.join('\n')) throw new InputError(cPath, 1, 1, '', `the same --matrix paths as ${bPath} (${matrix.join(', ') || 'none'})`, cm.join(', ') || 'none');
  const groupOf = (r: Rec) => matrix.map((p) => `${p}=${r[p] ?? ''}`).join(', ');
  // Every cell of either sweep: the base's in its order, then the candidate's own (a cell one
  // side lacks is compared too, with nothing on that side, so the gate cannot pass it unseen).
  const groups: string[] = [];
  for (const r of [...b.rows, ...c.rows]) if (!groups.includes(groupOf(r))) groups.push(groupOf(r));
  const cells = { base: [...new Set(b.rows.map(groupOf))], candidate: [...new Set(c.rows.map(groupOf))] };
  const metrics: MetricComparison[] = [];
  // Columns some runs write (the GPU-sharing ones) are compared only where the files have them.
  const written = METRICS.filter((m) => b.header.includes(m) || c.header.includes(m));
  const dropped = droppedRuns(b.rows, c.rows, groupOf);
  const setDifference = setsDiffer(baseDir, candidateDir);
  const shards = shardsOf(baseDir, candidateDir);
  const sets = { ...(setDifference === null ? {} : { setDifference }), ...(shards.length === 0 ? {} : { shards }) };
  // Each cell is paired when its runs pair (the same seeds on both sides), whatever the other
  // cells: a matrix value only one sweep ran does not cost the shared cells their pairing.
  const cellTests: CellTest[] = [];
  for (const g of groups) {
    const why = cellUnpaired(g, b.rows, c.rows, groupOf);
    cellTests.push(why === null ? { group: g, test: 'paired' } : { group: g, test: 'unpaired', unpairedBecause: why });
    if (why === null) {
      for (const m of written) metrics.push({ ...pairedComparison(g, m, b.rows, c.rows, groupOf), test: 'paired' });
      continue;
    }
    const ok = (rows: Rec[]) => rows.filter((r) => r['status'] === 'ok' && groupOf(r) === g);
    const bRows = ok(b.rows);
    const cRows = ok(c.rows);
    for (const m of written) {
      const values = (rows: Rec[]) => rows.map((r) => num(r[m])).filter((v): v is number => v !== null);
      const bv = values(bRows);
      const cv = values(cRows);
      metrics.push({ ...withChange(comparison(g, m, bv.length > 0 ? mean(bv) : null, cv.length > 0 ? mean(cv) : null), welchMeanChange(bv, cv), bv.length, cv.length), test: 'unpaired' });
    }
  }
  const paired = cellTests.filter((t) => t.test === 'paired').length;
  const test = paired === cellTests.length ? 'paired' : paired === 0 ? 'unpaired' : 'mixed';
  // No cell paired: why, as the first cell says it (named when there is a matrix).
  const first = cellTests[0];
  const unpairedBecause = test !== 'unpaired' || first?.unpairedBecause === undefined ? {} : { unpairedBecause: first.group === '' ? first.unpairedBecause : `${first.unpairedBecause.replace(/ in this matrix cell$/, '')} in ${first.group}` };
  return { result: { kind: 'sweeps', base: baseDir, candidate: candidateDir, matrix, metrics, placement: null, dropped, cells, test, ...unpairedBecause, cellTests, ...sets }, baseRows: b.rows, candidateRows: c.rows, groupOf };
}

/** The --set values each sweep's sweep.json records and the other's lacks (order aside), or
 * null when they agree or either has no readable sweep.json (a hand-made sweep.csv). */
/** The sides that are one shard of their sweep, as their sweep.json records it. */
function shardsOf(baseDir: string, candidateDir: string): { side: 'base' | 'candidate'; index: number; count: number }[] {
  const out: { side: 'base' | 'candidate'; index: number; count: number }[] = [];
  for (const [side, dir] of [['base', baseDir], ['candidate', candidateDir]] as const) {
    try {
      const shard = (JSON.parse(readFileSync(join(dir, SWEEP_JSON), 'utf8')) as { shard?: { index?: unknown; count?: unknown } | null }).shard;
      if (shard !== null && shard !== undefined && typeof shard.index === 'number' && typeof shard.count === 'number' && shard.count > 1) out.push({ side, index: shard.index, count: shard.count });
    } catch {
      // no sweep.json (hand-made, an older ksim's): nothing to say
    }
  }
  return out;
}

function setsDiffer(baseDir: string, candidateDir: string): { base: string[]; candidate: string[] } | null {
  const setOf = (dir: string): string[] | null => {
    try {
      const set = (JSON.parse(readFileSync(join(dir, SWEEP_JSON), 'utf8')) as { set?: unknown }).set;
      return Array.isArray(set) ? set.map(String) : null;
    } catch {
      return null;
    }
  };
  const b = setOf(baseDir);
  const c = setOf(candidateDir);
  if (b === null || c === null) return null;
  const base = b.filter((v) => !c.some((w) => sameSet(v, w)));
  const candidate = c.filter((v) => !b.some((w) => sameSet(v, w)));
  return base.length === 0 && candidate.length === 0 ? null : { base, candidate };
}

/** Two `PATH=VALUE` overrides that set the same: the same path and values that read alike as
 * YAML (4 and 04, x and "x"), as durations (1m and 60s) or as quantities (1 and 1000m). */
function sameSet(a: string, b: string): boolean {
  if (a === b) return true;
  const ea = a.indexOf('=');
  const eb = b.indexOf('=');
  if (ea <= 0 || eb <= 0 || a.slice(0, ea).trim() !== b.slice(0, eb).trim()) return false;
  const va = yamlValue(a.slice(ea + 1));
  const vb = yamlValue(b.slice(eb + 1));
  if (JSON.stringify(va) === JSON.stringify(vb)) return true;
  if ((typeof va !== 'string' && typeof va !== 'number') || (typeof vb !== 'string' && typeof vb !== 'number')) return false;
  const alike = (read: (x: string | number) => number | string): boolean => {
    try {
      return read(va) === read(vb);
    } catch {
      return false;
    }
  };
  return alike((x) => parseDuration(String(x))) || alike((x) => canonicalQuantityText(x));
}

function yamlValue(text: string): unknown {
  try {
    return parseYaml(text) as unknown;
  } catch {
    return text;
  }
}

/** The runs not ok (status error, crashed, ...), per matrix cell and side, in the order met. */
function droppedRuns(base: readonly Rec[], candidate: readonly Rec[], groupOf: (r: Rec) => string): DroppedRuns[] {
  const out: DroppedRuns[] = [];
  for (const [side, rows] of [['base', base], ['candidate', candidate]] as const) {
    const cells = new Map<string, { runs: number; byStatus: Record<string, number>; seeds: string[] }>();
    for (const r of rows) {
      const cell = cells.get(groupOf(r)) ?? { runs: 0, byStatus: {}, seeds: [] };
      cells.set(groupOf(r), cell);
      cell.runs++;
      const status = r['status'] ?? '';
      if (status !== 'ok') {
        cell.byStatus[status] = (cell.byStatus[status] ?? 0) + 1;
        cell.seeds.push(r['seed'] ?? '');
      }
    }
    for (const [group, cell] of cells) if (Object.keys(cell.byStatus).length > 0) out.push({ group, side, ...cell });
  }
  return out;
}

/** Why the runs of matrix cell `g` cannot be paired by seed, or null when they can: both sides
 * ran the same seeds there (whatever their status). */
function cellUnpaired(g: string, base: readonly Rec[], candidate: readonly Rec[], groupOf: (r: Rec) => string): string | null {
  const seeds = (rows: readonly Rec[]) => rows.filter((r) => groupOf(r) === g).map((r) => r['seed'] ?? '').sort();
  const b = seeds(base);
  const c = seeds(candidate);
  const inCell = g === '' ? '' : ' in this matrix cell';
  if (c.length === 0) return `the candidate has no runs${inCell}`;
  if (b.length === 0) return `the base has no runs${inCell}`;
  return b.join(',') === c.join(',') ? null : 'the seeds differ';
}

/** One metric of one matrix cell, runs paired by seed: the seeds ok on both sides with a value;
 * the means of each side over those seeds, the mean per-seed difference and its t interval. */
function pairedComparison(g: string, m: string, base: readonly Rec[], candidate: readonly Rec[], groupOf: (r: Rec) => string): MetricComparison {
  const value = (r: Rec | undefined) => (r !== undefined && r['status'] === 'ok' ? num(r[m]) : null);
  const bySeed = new Map(candidate.filter((r) => groupOf(r) === g).map((r) => [r['seed'], r]));
  const bv: number[] = [];
  const cv: number[] = [];
  for (const r of base) {
    if (groupOf(r) !== g) continue;
    const b = value(r);
    const c = value(bySeed.get(r['seed']));
    if (b !== null && c !== null) {
      bv.push(b);
      cv.push(c);
    }
  }
  const n = bv.length;
  return withChange(comparison(g, m, n > 0 ? mean(bv) : null, n > 0 ? mean(cv) : null), pairedMeanChange(bv, cv), n, n);
}

/** A sweep comparison with its change (the interval's estimate, the mean per-seed difference
 * when paired) and interval; no change without values on both sides. */
function withChange(c: MetricComparison, change: MeanChange | null, nBase: number, nCandidate: number): MetricComparison {
  if (change === null) return { ...c, difference: null, changeRatio: null, nBase, nCandidate, ciLow: null, ciHigh: null, significant: false };
  return { ...c, difference: change.difference, changeRatio: ratio(c.base as number, change.difference), nBase, nCandidate, ciLow: change.low, ciHigh: change.high, significant: change.significant, interval: change.method };
}

/** What moved between two runs: pods.csv (node and zone per pod) and nodes.csv (per node). */
function placementDiff(baseDir: string, candidateDir: string): PlacementDiff | null {
  const files = ['pods.csv', 'nodes.csv'];
  if (!files.every((f) => existsSync(join(baseDir, f)) && existsSync(join(candidateDir, f)))) return null;
  const pods = (dir: string) => new Map(readCsv(join(dir, 'pods.csv')).rows.map((r) => [`${r['namespace']}/${r['name']}`, r]));
  const bp = pods(baseDir);
  const cp = pods(candidateDir);
  let inBoth = 0, movedNode = 0, movedZone = 0, boundB = 0, boundC = 0;
  for (const [key, b] of bp) {
    const c = cp.get(key);
    if (c === undefined) continue;
    inBoth++;
    const bn = b['node'] ?? '';
    const cn = c['node'] ?? '';
    if (bn !== '' && cn !== '') {
      if (bn !== cn) movedNode++;
      if ((b['zone'] ?? '') !== (c['zone'] ?? '')) movedZone++;
    } else if (bn !== '') boundB++;
    else if (cn !== '') boundC++;
  }
  const nodes = (dir: string) => new Map(readCsv(join(dir, 'nodes.csv')).rows.map((r) => [r['node'] ?? '', r]));
  const bn = nodes(baseDir);
  const cn = nodes(candidateDir);
  const ratio = (r: Rec | undefined, req: string, alloc: string) => {
    const q = num(r?.[req]);
    const a = num(r?.[alloc]);
    return q === null || a === null || a === 0 ? null : q / a;
  };
  const names = [...new Set([...bn.keys(), ...cn.keys()])].sort();
  return {
    podsInBoth: inBoth,
    onlyInBase: bp.size - inBoth,
    onlyInCandidate: cp.size - inBoth,
    movedNode,
    movedZone,
    boundInBaseOnly: boundB,
    boundInCandidateOnly: boundC,
    nodes: names.map((node) => ({
      node,
      basePods: num(bn.get(node)?.['pods']),
      candidatePods: num(cn.get(node)?.['pods']),
      baseCpuRatio: ratio(bn.get(node), 'cpu_requested_milli', 'cpu_allocatable_milli'),
      candidateCpuRatio: ratio(cn.get(node), 'cpu_requested_milli', 'cpu_allocatable_milli'),
      baseMemoryRatio: ratio(bn.get(node), 'memory_requested_bytes', 'memory_allocatable_bytes'),
      candidateMemoryRatio: ratio(cn.get(node), 'memory_requested_bytes', 'memory_allocatable_bytes'),
    })),
  };
}
