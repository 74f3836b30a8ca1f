// How capacity probes run their simulations: a task is a scenario file, a seed and `--set`
// overrides; the answer is each run's summary.csv row, in task order: in this thread, one after
// the other (library callers, tests), or in a pool of worker threads (the CLI).
import { loadScenario } from '../workload/scenario.js';
import { runScenario, type RunResult } from '../run/run-scenario.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { InputError } from '../api/input-error.js';
import { runPool } from '../sweep/pool.js';

export interface ProbeTask {
  readonly scenario: string;
  readonly seed: number;
  readonly set: readonly string[];
}

/** A summary.csv row as RunResult.summary has it (numbers as numbers, null for an empty cell),
 * plus each pool's peaks as `pool=<name>:<resource>_requested_peak_ratio` (cpu, memory and the
 * pool's extended resources: RunResult.poolPeaks; not summary.csv columns). */
export type SummaryRow = Readonly<Record<string, string | number | null>>;

/** A run's summary with its pools' peaks (see SummaryRow). */
export function probeRow(summary: RunResult['summary'], poolPeaks: RunResult['poolPeaks']): SummaryRow {
  const row: Record<string, string | number | null> = { ...summary };
  for (const [pool, p] of Object.entries(poolPeaks)) {
    for (const [resource, v] of Object.entries(p)) row[poolPeakKey(pool, resource)] = v;
  }
  return row;
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

/** Runs the tasks one after the other in this thread, keeping only the summary rows. */
export function sequentialRunner(opts: { readonly checkInvariants?: boolean | number; readonly onRun?: () => void } = {}): ProbeRunner {
  return async (tasks) => {
    const rows: SummaryRow[] = [];
    for (const t of tasks) {
      const scenario = loadScenario(t.scenario, { seed: t.seed, set: t.set });
      const plugins = await loadPluginModules(scenario.pluginModules);
      const r = runScenario(scenario, { sinks: 'none', plugins, ...(opts.checkInvariants !== undefined ? { checkInvariants: opts.checkInvariants } : {}) });
      rows.push(probeRow(r.summary, r.poolPeaks));
      opts.onRun?.();
      // Let signals and progress through between runs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return rows;
  };
}

/** Runs the tasks in `workers` worker threads (src/sweep/pool.ts); rows in task order whatever
 * the worker count. A run's bad input stops the search with its message (exit 2), any other
 * failure as an internal error. */
export function poolRunner(opts: { readonly workers: number; readonly heapMib?: number; readonly onRun?: () => void }): ProbeRunner {
  return async (tasks) => {
    if (tasks.length === 0) return [];
    const results = await runPool(tasks.map((t) => ({ scenario: t.scenario, seed: t.seed, set: t.set, output: null })), {
      workers: opts.workers,
      ...(opts.heapMib !== undefined ? { heapMib: opts.heapMib } : {}),
      onSettled: () => opts.onRun?.(),
    });
    return results.map((r) => {
      if (r.status === 'ok') return probeRow(r.summary, r.poolPeaks);
      if (r.status === 'error' && r.inputError) throw new ProbeInputError(r.error);
      if (r.status === 'error') throw new Error(`a capacity probe's run failed: ${r.detail}`);
      if (r.status === 'crashed') throw new Error(`a capacity probe's worker crashed: ${r.error}`);
      throw new Error("a capacity probe's run was interrupted");
    });
  };
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
export function adaptiveRunner(opts: { readonly workers: number; readonly heapMib?: number; readonly onRun?: () => void; readonly poolAfterMs?: number; readonly nowMs: () => number }): ProbeRunner {
  const inThread = sequentialRunner(opts.onRun !== undefined ? { onRun: opts.onRun } : {});
  const pooled = poolRunner(opts);
  if (opts.heapMib !== undefined) return pooled;
  let slow = false;
  return async (tasks) => {
    if (slow && opts.workers > 1 && tasks.length > 1) return pooled(tasks);
    const rows: SummaryRow[] = [];
    for (let i = 0; i < tasks.length; i++) {
      if (slow && opts.workers > 1 && tasks.length - i > 1) return [...rows, ...(await pooled(tasks.slice(i)))];
      const started = opts.nowMs();
      rows.push(...(await inThread([tasks[i] as ProbeTask])));
      if (opts.nowMs() - started > (opts.poolAfterMs ?? 2000)) slow = true;
    }
    return rows;
  };
}
