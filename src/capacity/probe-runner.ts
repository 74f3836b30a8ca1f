// How capacity probes run their simulations: a task is a scenario file, a seed and `--set`
// overrides; the answer is each run's summary.csv row, in task order: in this thread, one after
// the other (library callers, tests), or in a pool of worker threads (the CLI).
import { loadScenario } from '../workload/scenario.js';
import { runScenarioInSlices, type RunResult, type UnplacedWorkload } from '../run/run-scenario.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { InputError } from '../api/input-error.js';
import { checkSeed } from '../api/seed.js';
import { runPool } from '../sweep/pool.js';

export interface ProbeTask {
  readonly scenario: string;
  readonly seed: number;
  readonly set: readonly string[];
  /** What the run is, short, for progress: "general=15", "general=15 seed 2 zone-a down". */
  readonly label?: string;
  /** Its simulated duration, for progress before it starts. */
  readonly durationUs?: number;
}

/** A summary.csv row as RunResult.summary has it (numbers as numbers, null for an empty cell),
 * plus each pool's peaks as `pool=<name>:<resource>_requested_peak_ratio` (cpu, memory and the
 * pool's extended resources: RunResult.poolPeaks; not summary.csv columns). */
export type SummaryRow = Readonly<Record<string, string | number | null>>;

/** A run's summary with its pools' peaks (see SummaryRow), and the profiles that counted GPU
 * shares pooled (GPU_POOLED_KEY, when any did). */
export function probeRow(summary: RunResult['summary'], poolPeaks: RunResult['poolPeaks'], gpuPooledProfiles: readonly string[] = [], unplaced: RunResult['unplaced'] = []): SummaryRow {
  const row: Record<string, string | number | null> = { ...summary };
  for (const [pool, p] of Object.entries(poolPeaks)) {
    for (const [resource, v] of Object.entries(p)) row[poolPeakKey(pool, resource)] = v;
  }
  if (gpuPooledProfiles.length > 0) row[GPU_POOLED_KEY] = gpuPooledProfiles.join(',');
  if (unplaced.length > 0) row[UNPLACED_KEY] = JSON.stringify(unplaced);
  return row;
}

/** A probe row's key for RunResult.unplaced, as JSON. Not a summary.csv column. */
export const UNPLACED_KEY = 'run:unplaced';

/** The workloads a probe row's run left unplaced (UNPLACED_KEY). */
export function unplacedOf(row: SummaryRow): UnplacedWorkload[] {
  const v = row[UNPLACED_KEY];
  return typeof v === 'string' ? (JSON.parse(v) as UnplacedWorkload[]) : [];
}

/** A probe row's key for RunResult.gpuPooledProfiles, joined by ',' (a schedulerName holds no
 * comma): the profiles that counted the run's GPU shares pooled per node. Not a summary.csv
 * column. */
export const GPU_POOLED_KEY = 'run:gpu_pooled_profiles';

/** The profiles of a probe row's GPU_POOLED_KEY. */
export function gpuPooledProfilesOf(row: SummaryRow): string[] {
  const v = row[GPU_POOLED_KEY];
  return typeof v === 'string' && v !== '' ? v.split(',') : [];
}

export function poolPeakKey(pool: string, resource: string): string {
  return `pool=${pool}:${resource}${PEAK_SUFFIX}`;
}

const PEAK_SUFFIX = '_requested_peak_ratio';

/** The resource of a poolPeakKey of `pool` (null: another key). */
export function poolPeakResource(pool: string, key: string): string | null {
  const head = `pool=${pool}:`;
  return key.startsWith(head) && key.endsWith(PEAK_SUFFIX) && key.length > head.length + PEAK_SUFFIX.length ? key.slice(head.length, -PEAK_SUFFIX.length) : null;
}

export type ProbeRunner = (tasks: readonly ProbeTask[]) => Promise<SummaryRow[]>;

/** Where a probe's run is, between slices of its events (for a progress line). */
export interface RunProgress {
  readonly simUs: number;
  /** The run's end (its scenario's duration). */
  readonly durationUs: number;
  readonly events: number;
}

/** What a runner reports and obeys while it runs a batch of tasks. */
export interface RunnerHooks {
  /** Told when each run ends (its index in the batch). */
  readonly onRun?: (index: number) => void;
  /** Told, between slices of events, where the batch's task `index` is. */
  readonly onProgress?: (index: number, p: RunProgress) => void;
  /** Asked between slices: true stops the runs (ProbesInterrupted). */
  readonly shouldStop?: () => boolean;
}

/** The runs were stopped (a signal): the search ends with nothing decided for this round. */
export class ProbesInterrupted extends Error {
  constructor() {
    super("the capacity probes' runs were interrupted");
  }
}

/** Events between looks at the stop flag and progress (a run's slices also end after 100 ms). */
const SLICE_EVENTS = 20_000;

/** Runs the tasks one after the other in this thread, keeping only the summary rows; `nowMs`
 * (wall time) ends slices of events every 100 ms, so a stop and progress are heard while a long
 * run goes on (without it, slices of SLICE_EVENTS events). */
export function sequentialRunner(opts: RunnerHooks & { readonly checkInvariants?: boolean | number; readonly nowMs?: () => number } = {}): ProbeRunner {
  return (tasks) => runInThread(tasks, 0, opts);
}

async function runInThread(tasks: readonly ProbeTask[], first: number, opts: RunnerHooks & { readonly checkInvariants?: boolean | number; readonly nowMs?: () => number }): Promise<SummaryRow[]> {
  checkTaskSeeds(tasks, 'sequentialRunner');
  const rows: SummaryRow[] = [];
  for (const [i, t] of tasks.entries()) {
    const scenario = loadScenario(t.scenario, { seed: t.seed, set: t.set });
    const plugins = await loadPluginModules(scenario.pluginModules);
    const runOpts = { sinks: 'none' as const, plugins, ...(opts.checkInvariants !== undefined ? { checkInvariants: opts.checkInvariants } : {}) };
    // Slices do not change the run (src/run/slices.test.ts): they only let signals through.
    const r = await runScenarioInSlices(scenario, runOpts, (sim, run) => {
      opts.onProgress?.(first + i, { simUs: sim.now, durationUs: run.endUs, events: sim.eventsProcessed });
      return opts.shouldStop?.() === true;
    }, SLICE_EVENTS, opts.nowMs);
    if (r === null) throw new ProbesInterrupted();
    rows.push(probeRow(r.summary, r.poolPeaks, r.gpuPooledProfiles, r.unplaced));
    opts.onRun?.(first + i);
  }
  return rows;
}

/** Every task's seed, before any runs (an InputError naming the runner and `tasks[i].seed`). */
function checkTaskSeeds(tasks: readonly ProbeTask[], runner: string): void {
  tasks.forEach((t, i) => checkSeed(t.seed, runner, `tasks[${i}].seed`));
}

/** Runs the tasks in `workers` worker threads (src/sweep/pool.ts); rows in task order whatever
 * the worker count. A run's bad input stops the search with its message (exit 2), any other
 * failure as an internal error. */
export function poolRunner(opts: RunnerHooks & { readonly workers: number; readonly heapMib?: number }): ProbeRunner {
  return (tasks) => runInPool(tasks, 0, opts);
}

async function runInPool(tasks: readonly ProbeTask[], first: number, opts: RunnerHooks & { readonly workers: number; readonly heapMib?: number }): Promise<SummaryRow[]> {
  if (tasks.length === 0) return [];
  checkTaskSeeds(tasks, 'poolRunner');
  if (opts.shouldStop?.() === true) throw new ProbesInterrupted();
  // The pool stops its runs on abort; the stop is polled here as the in-thread runs poll it.
  const ac = new AbortController();
  const poll = opts.shouldStop === undefined ? undefined : setInterval(() => {
    if (opts.shouldStop?.() === true) ac.abort();
  }, 50);
  let results;
  try {
    results = await runPool(tasks.map((t) => ({ scenario: t.scenario, seed: t.seed, set: t.set, output: null })), {
      workers: opts.workers,
      ...(opts.heapMib !== undefined ? { heapMib: opts.heapMib } : {}),
      signal: ac.signal,
      onSettled: (i, r) => {
        if (r.status !== 'interrupted') opts.onRun?.(first + i);
      },
      ...(opts.onProgress !== undefined ? { onProgress: (i: number, p: RunProgress) => opts.onProgress?.(first + i, p) } : {}),
    });
  } finally {
    if (poll !== undefined) clearInterval(poll);
  }
  if (results.some((r) => r.status === 'interrupted')) throw new ProbesInterrupted();
  return results.map((r) => {
    if (r.status === 'ok') return probeRow(r.summary, r.poolPeaks, r.gpuPooledProfiles, r.unplaced);
    if (r.status === 'error' && r.inputError) throw new ProbeInputError(r.error);
    if (r.status === 'error') throw new Error(`a capacity probe's run failed: ${r.detail}`);
    if (r.status === 'crashed') throw new Error(`a capacity probe's worker crashed: ${r.error}`);
    throw new ProbesInterrupted();
  });
}

/** Bad input met by a probe's run (e.g. a --set that does not fit the scenario): its message as is. */
export class ProbeInputError extends InputError {
  constructor(message: string) {
    super('', 0, 0, '', '');
    this.message = message;
  }
}

/** In this thread while runs are quick, in worker threads once a run takes longer than
 * `poolAfterMs` (starting workers costs about a second each on a busy machine, more than a
 * small scenario's whole run), or from the start with `heapMib` (a run needing more heap than
 * this thread has). The rows are the same either way. */
export function adaptiveRunner(opts: RunnerHooks & { readonly workers: number; readonly heapMib?: number; readonly poolAfterMs?: number; readonly nowMs: () => number }): ProbeRunner {
  if (opts.heapMib !== undefined) return poolRunner(opts);
  let slow = false;
  return async (tasks) => {
    if (slow && opts.workers > 1 && tasks.length > 1) return runInPool(tasks, 0, opts);
    const rows: SummaryRow[] = [];
    for (let i = 0; i < tasks.length; i++) {
      if (slow && opts.workers > 1 && tasks.length - i > 1) return [...rows, ...(await runInPool(tasks.slice(i), i, opts))];
      const started = opts.nowMs();
      rows.push(...(await runInThread([tasks[i] as ProbeTask], i, opts)));
      if (opts.nowMs() - started > (opts.poolAfterMs ?? 2000)) slow = true;
    }
    return rows;
  };
}
