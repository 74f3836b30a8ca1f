// `ksim sweep` as a library function: plan the runs (seeds × matrix, maybe one shard of them),
// check every matrix combination loads, skip the runs a previous sweep into the same folder
// completed, run the rest through the worker pool (each into its own folder), record failures,
// and write sweep.csv (plus sweep.json, what the sweep was, for `ksim merge` and resuming).
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../api/input-error.js';
import { checkSeeds } from '../api/seed.js';
import { makeFolder } from '../api/output-path.js';
import { formatCell, rowValues, toCsv, writeOutputsAtomically, type Table } from '../metrics/csv-output.js';
import { columnNames, columnsOf } from '../metrics/schema.js';
import type { Row } from '../metrics/collector.js';
import { validateScenarioScheduler } from '../run/run-scenario.js';
import { inputsJson, runJsonOptions } from '../run/run-folder.js';
import { estimateMemory, type MemoryEstimate } from '../run/memory-estimate.js';
import { loadScenario, setArgumentPath, type Scenario } from '../workload/scenario.js';
import { hashScenarioInputs, unionInputs, type HashedInput, type ScenarioInputs } from '../workload/scenario-inputs.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { KSIM_VERSION } from '../version.js';
import { matrixCells, planRuns, shardRuns, type MatrixAxis, type PlannedRun, type Shard } from './plan.js';
import { runPool, type RunTask, type RunTaskOptions, type RunTaskResult } from './pool.js';
import { checkConfigsWithModules } from './check-configs.js';

export interface SweepOptions {
  readonly scenario: string;
  /** The seeds of every matrix cell: a non-empty list of integers 0 … 4294967295. */
  readonly seeds: readonly number[];
  readonly matrix?: readonly MatrixAxis[];
  /** --set overrides applied to every run (before the matrix's). */
  readonly set?: readonly string[];
  /** The sweep folder: one sub-folder per run, sweep.csv, sweep.json. */
  readonly output: string;
  readonly workers?: number;
  /** Given the memory one run needs (the largest of the matrix combinations' estimates), once
   * the scenario is checked and before anything is written: the workers to run at once and the
   * heap each gets (src/cli/heap.ts poolHeapPlan); it may refuse by throwing. Default: `workers`
   * and Node.js's heap. */
  readonly planMemory?: (estimate: MemoryEstimate) => { readonly workers: number; readonly heapMib?: number };
  readonly shard?: Shard | null;
  readonly options?: RunTaskOptions;
  /** Abort: runs in flight stop (writing nothing), no sweep.csv is written. */
  readonly signal?: AbortSignal;
  /** After each run settles (and once at the start, with the resumed runs counted). */
  readonly onProgress?: (p: SweepProgress) => void;
}

export interface SweepProgress {
  /** Runs of this sweep (of this shard). */
  readonly total: number;
  /** Settled, resumed ones included. */
  readonly done: number;
  readonly failed: number;
  /** Complete before this sweep started (skipped). */
  readonly resumed: number;
}

export interface SweepResult {
  /** The scenario as the first matrix combination loads it (name, warnings). */
  readonly scenario: Scenario;
  readonly runs: readonly PlannedRun[];
  /** Per run (in run order): its status and summary row (empty when it failed). */
  readonly statuses: readonly SweepStatus[];
  readonly resumed: number;
  /** True when aborted: sweep.csv was not written. */
  readonly interrupted: boolean;
}

export type SweepStatus = 'ok' | 'error' | 'crashed' | 'interrupted';

/** sweep.json: what a sweep folder holds. */
export interface SweepManifest {
  readonly ksim_version: string;
  readonly scenario: { readonly path: string; readonly name: string; readonly sha256: string };
  /** The digest of `inputs` (src/workload/scenario-inputs.ts). */
  readonly inputs_sha256: string;
  /** Every file the sweep's runs read (all matrix cells), by path relative to the scenario. */
  readonly inputs: readonly HashedInput[];
  readonly seeds: readonly number[];
  readonly matrix: readonly MatrixAxis[];
  readonly set: readonly string[];
  readonly options: RunTaskOptions;
  /** Runs of the whole sweep (all shards). */
  readonly runs: number;
  readonly shard: Shard | null;
}

export const SWEEP_CSV = 'sweep.csv';
export const SWEEP_JSON = 'sweep.json';
const ERROR_TXT = 'error.txt';

export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const axes = opts.matrix ?? [];
  const set = opts.set ?? [];
  checkMatrixPaths(axes, set);
  checkSeeds(opts.seeds, 'runSweep', 'opts.seeds');
  const all = planRuns(opts.seeds, axes, set);
  const runs = shardRuns(all, opts.shard ?? null);
  // Every combination's scheduler configuration is checked before anything runs or is written
  // (as ksim run checks one), by building its profiles. With plugin modules, in a worker thread:
  // building a profile runs their factories, users' code, which is kept away from this process
  // (a factory may crash it).
  const registry = inTreeRegistry();
  const withModules: PlannedRun[] = [];
  const check = (s: Scenario, run: PlannedRun) => {
    if (s.pluginModules.length === 0) validateScenarioScheduler(s, registry);
    else withModules.push(run);
  };
  const { first: scenario, estimate, inputs } = validateCombinations(opts.scenario, all, axes, check);
  const inputsOf = (run: PlannedRun) => inputs.get(JSON.stringify(run.matrix))!;
  const pool: { readonly workers?: number; readonly heapMib?: number } = opts.planMemory?.(estimate) ?? (opts.workers !== undefined ? { workers: opts.workers } : {});
  // With the runs' heap: the modules' top-level code runs there as in the runs' workers.
  await checkWithModules(opts.scenario, withModules, axes, pool.heapMib);
  checkSweepFolder(opts.output);
  checkSameSweep(opts.output, scenario.name, runs, axes);
  makeFolder(opts.output, opts.output);
  removeLeftovers(opts.output);
  // An earlier sweep's table goes before the new sweep.json is written: a folder holds a
  // sweep.csv only when the sweep its sweep.json describes finished (merge and compare read it).
  rmSync(join(opts.output, SWEEP_CSV), { force: true });
  const manifest: SweepManifest = {
    ksim_version: KSIM_VERSION,
    scenario: { path: opts.scenario, name: scenario.name, sha256: scenario.sha256 },
    ...inputsJson(unionInputs([...inputs.values()])),
    seeds: opts.seeds,
    matrix: axes,
    set,
    options: opts.options ?? {},
    runs: all.length,
    shard: opts.shard ?? null,
  };
  writeAtomically(join(opts.output, SWEEP_JSON), `${JSON.stringify(manifest, null, 2)}\n`);

  const rows: (RunSummary | null)[] = runs.map(() => null);
  const statuses: SweepStatus[] = runs.map(() => 'interrupted');
  const todo: number[] = [];
  for (const [i, run] of runs.entries()) {
    const row = completedRun(join(opts.output, run.id), run, scenario.sha256, inputsOf(run), manifest.options);
    if (row === null) todo.push(i);
    else {
      rows[i] = row;
      statuses[i] = 'ok';
    }
  }
  const resumed = runs.length - todo.length;
  let done = resumed;
  let failed = 0;
  opts.onProgress?.({ total: runs.length, done, failed, resumed });
  const tasks: RunTask[] = todo.map((i) => {
    const run = runs[i]!;
    return {
      scenario: opts.scenario,
      seed: run.seed,
      set: run.set,
      options: manifest.options,
      output: join(opts.output, run.id),
      inputs: inputsOf(run),
      runJson: { run_id: run.id, matrix: matrixObject(axes, run) },
    };
  });
  await runPool(tasks, {
    ...pool,
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    onSettled: (t, result) => {
      const i = todo[t]!;
      const run = runs[i]!;
      statuses[i] = result.status;
      if (result.status === 'interrupted') return;
      if (result.status === 'ok') rows[i] = result.summary;
      else {
        failed++;
        writeFailure(join(opts.output, run.id), run, axes, scenario, inputsOf(run), manifest.options, result);
      }
      done++;
      opts.onProgress?.({ total: runs.length, done, failed, resumed });
    },
  });
  const interrupted = statuses.includes('interrupted');
  if (!interrupted) {
    const table = sweepTable(axes, runs.map((run, i) => ({ run, status: statuses[i]!, summary: rows[i] ?? null })));
    writeAtomically(join(opts.output, SWEEP_CSV), toCsv(table));
  }
  return { scenario, runs, statuses, resumed, interrupted };
}

/** sweep.csv's table: one row per run, in run order. */
export function sweepTable(axes: readonly MatrixAxis[], runs: readonly { run: PlannedRun; status: SweepStatus; summary: RunSummary | null }[]): Table {
  const paths = axes.map((a) => a.path);
  const cells = axes.map(matrixCells);
  // GPU-sharing runs add their summary columns (src/metrics/schema.ts gpuSharing): kept when any run has them.
  const gpuSharing = runs.some((r) => r.summary !== null && r.summary['gpu_unallocated_at_100_pct'] !== undefined);
  const columns = columnsOf('sweep.csv', { matrix: paths, gpuSharing });
  const rows = runs.map(({ run, status, summary }) => {
    const row: Row = { run_id: run.id, seed: run.seed };
    paths.forEach((p, k) => (row[p] = cells[k]!.get(run.matrix[k]!) ?? run.matrix[k]!));
    row['status'] = status;
    // Formatted by summary.csv's column types: the cells read as summary.csv has them.
    for (const c of columns.slice(3 + paths.length)) row[c.name] = formatCell(c, summary?.[c.name] ?? null);
    return row;
  });
  return { file: SWEEP_CSV, columns: columns.map((c) => c.name), rows };
}

/** A run's summary row as RunResult has it (numbers, null for empty cells), or as read back from
 * the summary.csv of a run an earlier sweep completed. */
type RunSummary = Readonly<Record<string, string | number | null>>;

/** A matrix path may not be named like one of sweep.csv's own columns (nor be the seed, which
 * --seeds sets), nor be, or be above, the path of a --set: each run applies its matrix values
 * after the --sets, so that --set would be silently overridden. (A matrix path below a --set's
 * changes part of the value it set: both apply.) */
function checkMatrixPaths(axes: readonly MatrixAxis[], set: readonly string[]): void {
  const reserved = new Set(columnNames('sweep.csv'));
  for (const a of axes) {
    if (a.path === 'seed') throw new InputError(`--matrix ${a.path}=...`, 0, 0, '', 'a path other than seed (--seeds sets the seeds)');
    if (reserved.has(a.path)) throw new InputError(`--matrix ${a.path}=...`, 0, 0, '', `a path not named like a sweep.csv column (${[...reserved].join(', ')})`);
  }
  // Axes apply in order: a later one at the path of an earlier one, or above it, replaces its
  // value in every run (`count` and `["count"]` are one path); one below an earlier one changes
  // part of the value it set.
  const paths = axes.map((a) => setArgumentPath(`${a.path}=`));
  for (let j = 0; j < axes.length; j++) {
    const later = paths[j];
    if (later === null || later === undefined) continue;
    for (let i = 0; i < j; i++) {
      const earlier = paths[i];
      if (earlier === null || earlier === undefined || later.length > earlier.length || later.some((k, n) => k !== earlier[n])) continue;
      const first = `--matrix ${axes[i]!.path}=${axes[i]!.values.join(',')}`;
      throw new InputError(`--matrix ${axes[j]!.path}=${axes[j]!.values.join(',')}`, 0, 0, '', "a path no earlier --matrix sets, nor one above it (this one's value would replace the earlier's in every run)", later.length === earlier.length ? `the path of ${first}` : `a path above ${first}`);
    }
  }
  for (const s of set) {
    const p = setArgumentPath(s);
    if (p === null) continue;
    for (const a of axes) {
      const m = setArgumentPath(`${a.path}=`);
      if (m === null || m.length > p.length || m.some((k, i) => k !== p[i])) continue;
      const matrix = `--matrix ${a.path}=${a.values.join(',')}`;
      throw new InputError(`--set ${s}`, 0, 0, '', "a path no --matrix sets (each run's --matrix value would replace it)", m.length === p.length ? `the path of ${matrix}` : `a path under ${matrix}`);
    }
  }
}

/** Loads the scenario once per matrix combination (with the first seed), so a bad value is bad
 * input (exit 2) before any run starts; errors name the --matrix argument. Returns the first,
 * the largest memory estimate (seeds do not change it), and each combination's input files by
 * content (by JSON of its matrix values: a --set may name another configFile or trace). */
function validateCombinations(file: string, all: readonly PlannedRun[], axes: readonly MatrixAxis[], check: (s: Scenario, run: PlannedRun) => void): { first: Scenario; estimate: MemoryEstimate; inputs: Map<string, ScenarioInputs> } {
  const seen = new Set<string>();
  const inputs = new Map<string, ScenarioInputs>();
  const hashed = new Map<string, string>();
  let first: Scenario | null = null;
  let estimate: MemoryEstimate | null = null;
  for (const run of all) {
    const key = JSON.stringify(run.matrix);
    if (seen.has(key)) continue;
    seen.add(key);
    try {
      const s = loadScenario(file, { set: run.set, seed: run.seed });
      check(s, run);
      inputs.set(key, hashScenarioInputs(s, hashed));
      first ??= s;
      const e = estimateMemory(s);
      if (estimate === null || e.bytes > estimate.bytes) estimate = e;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw blameMatrix(e, run, axes);
    }
  }
  first ??= loadScenario(file);
  return { first, estimate: estimate ?? estimateMemory(first), inputs };
}

/** A combination's bad input, named by the --set its matrix value became, or (a scheduler
 * configuration checked after loading) by its field path; else as it is. */
function blameMatrix(e: InputError, run: PlannedRun, axes: readonly MatrixAxis[]): InputError {
  const under = (a: MatrixAxis) => e.path === a.path || e.path.startsWith(`${a.path}.`) || e.path.startsWith(`${a.path}[`);
  const axis = axes.findIndex((a, k) => e.file === `--set ${a.path}=${run.matrix[k]}` || under(a));
  if (axis < 0) return e;
  const a = axes[axis]!;
  return new InputError(`--matrix ${a.path}=${a.values.join(',')} (value ${run.matrix[axis]})`, 0, 0, e.path, e.expected, e.got);
}

/** The scheduler configurations of the combinations with plugin modules, built in a worker
 * thread (check-configs.ts) before any run: the first refused throws its InputError, named as
 * validateCombinations names one. */
async function checkWithModules(file: string, runs: readonly PlannedRun[], axes: readonly MatrixAxis[], heapMib: number | undefined): Promise<void> {
  const refused = await checkConfigsWithModules(file, runs.map((r) => r.set), heapMib);
  if (refused !== null) throw blameMatrix(refused.error, runs[refused.index]!, axes);
}

/** The sweep folder must be absent, empty, or an earlier sweep's (holding sweep.json). */
export function checkSweepFolder(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory()) throw new InputError(dir, 0, 0, '', 'a sweep output folder', 'an existing file');
  const entries = readdirSync(dir);
  if (entries.length > 0 && !entries.includes(SWEEP_JSON)) {
    throw new InputError(dir, 0, 0, '', `an empty folder or an earlier sweep's (with ${SWEEP_JSON})`, `a folder with ${entries.length} other entries`);
  }
}

/**
 * A folder holding an earlier sweep (sweep.json) is this sweep's to resume only when every run
 * that sweep planned (of its shard) is a run of this one (of this shard): same scenario name,
 * id, seed and matrix values. Then each run folder is this sweep's, resumed or run again by
 * completedRun (other input files, --sets or options rerun it in place), and no folder of the
 * earlier sweep is left beside this one's. Otherwise (16 runs r01 ... r16 where this sweep has
 * r1, r2; other seeds; another matrix or shard) it is another sweep's folder, refused as
 * `ksim run` refuses a folder it does not own.
 */
function checkSameSweep(dir: string, scenarioName: string, runs: readonly PlannedRun[], axes: readonly MatrixAxis[]): void {
  let text: string;
  try {
    text = readFileSync(join(dir, SWEEP_JSON), 'utf8');
  } catch {
    return; // no earlier sweep (checkSweepFolder allows no other content)
  }
  const refuse = (what: string) =>
    new InputError(
      dir,
      0,
      0,
      '',
      `an empty folder or one of this sweep's (its ${SWEEP_JSON}'s runs among this sweep's, with the same scenario, ids, seeds and matrix values)`,
      `the folder of another sweep (${what}): use another -o folder, or remove ${dir} first`,
    );
  let earlier: { plan: PlannedRun[]; axes: readonly MatrixAxis[]; name: unknown };
  try {
    const m = JSON.parse(text) as Partial<SweepManifest>;
    const plan = shardRuns(planRuns(m.seeds ?? [], m.matrix ?? []), m.shard ?? null);
    earlier = { plan, axes: m.matrix ?? [], name: m.scenario?.name };
  } catch {
    throw refuse(`an unreadable ${SWEEP_JSON}`);
  }
  const span = (r: readonly PlannedRun[]) => `${r.length} run${r.length === 1 ? '' : 's'} ${r.length === 0 ? '' : r.length === 1 ? r[0]!.id : `${r[0]!.id} ... ${r[r.length - 1]!.id}`}`.trimEnd();
  const prefix = `scenario ${String(earlier.name)}, ${span(earlier.plan)}`;
  if (earlier.name !== scenarioName) throw refuse(`${prefix}; this sweep's scenario is ${scenarioName}`);
  const byId = new Map(runs.map((r) => [r.id, r]));
  const values = (a: readonly MatrixAxis[], r: PlannedRun) => JSON.stringify(Object.fromEntries(a.map((x, k) => [x.path, r.matrix[k]])));
  for (const old of earlier.plan) {
    const now = byId.get(old.id);
    if (now === undefined) throw refuse(`${prefix}; its run ${old.id} is not one of this sweep's ${span(runs)}`);
    if (now.seed !== old.seed) throw refuse(`${prefix}; its run ${old.id} has seed ${old.seed}, this sweep's seed ${now.seed}`);
    const [was, is] = [values(earlier.axes, old), values(axes, now)];
    if (was !== is) throw refuse(`${prefix}; its run ${old.id} has matrix values ${was}, this sweep's ${is}`);
  }
}

/** The summary row of a run folder that an earlier sweep completed with the same ksim version,
 * input files (the scenario and every file it reads, by SHA-256), seed, overrides and options;
 * null when it must run (again), as a folder written before inputs were recorded must. */
function completedRun(dir: string, run: PlannedRun, sha256: string, inputs: ScenarioInputs, options: RunTaskOptions): RunSummary | null {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
  // The options as run.json records them, but the output folder (a moved sweep still resumes).
  const { output: _output, ...recorded } = (json['options'] ?? {}) as Record<string, unknown>;
  const same =
    json['status'] === undefined &&
    json['ksim_version'] === KSIM_VERSION &&
    (json['scenario'] as { sha256?: unknown } | undefined)?.sha256 === sha256 &&
    json['inputs_sha256'] === inputs.sha256 &&
    json['seed'] === run.seed &&
    JSON.stringify(recorded) === JSON.stringify(runJsonOptions({ ...options, set: run.set }));
  if (!same) return null;
  try {
    const rows = parse(readFileSync(join(dir, 'summary.csv'), 'utf8'), { columns: true }) as Row[];
    // Every column a run may write (the GPU-sharing ones too): the row has what its run wrote.
    return rows.length === 1 ? rowValues(rows[0]!, columnsOf('summary.csv', { gpuSharing: true })) : null;
  } catch {
    return null;
  }
}

/** A failed run's folder: error.txt (the message, then the stack for a bug) and run.json with
 * the status, so the folder is complete and an earlier failure is retried on resume. */
function writeFailure(dir: string, run: PlannedRun, axes: readonly MatrixAxis[], scenario: Scenario, inputs: ScenarioInputs, options: RunTaskOptions, r: Exclude<RunTaskResult, { status: 'ok' | 'interrupted' }>): void {
  const text = r.status === 'error' ? (r.detail === r.error ? `${r.error}\n` : `${r.error}\n\n${r.detail}\n`) : `${r.error}\n`;
  const runJson = {
    ksim_version: KSIM_VERSION,
    scenario: { path: scenario.file, name: scenario.name, sha256: scenario.sha256 },
    ...inputsJson(inputs),
    seed: run.seed,
    run_id: run.id,
    matrix: matrixObject(axes, run),
    status: r.status,
    error: r.error,
    options: runJsonOptions({ ...options, set: run.set }),
  };
  writeOutputsAtomically(dir, [{ file: ERROR_TXT, content: text }, { file: 'run.json', content: `${JSON.stringify(runJson, null, 2)}\n` }], String(process.pid));
}

function matrixObject(axes: readonly MatrixAxis[], run: PlannedRun): Record<string, string> {
  return Object.fromEntries(axes.map((a, k) => [a.path, run.matrix[k]!]));
}

/** Writes a file whole: to a temporary name, then renamed. */
export function writeAtomically(path: string, content: string): void {
  const tmp = `${path}.ksim-tmp-${process.pid}`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

/** Temporary files and folders an interrupted or killed sweep left behind. */
function removeLeftovers(dir: string): void {
  for (const e of readdirSync(dir)) if (/\.ksim-(tmp|old)-/.test(e)) rmSync(join(dir, e), { recursive: true, force: true });
}
