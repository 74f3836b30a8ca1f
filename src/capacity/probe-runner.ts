// How capacity probes run their simulations: a task is a scenario file, a seed and `--set`
// overrides; the answer is each run's summary.csv row, in task order. Sequential here, in this
// thread; a pool of worker threads can stand in for it (same signature).
import { loadScenario } from '../workload/scenario.js';
import { runScenario } from '../run/run-scenario.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';

export interface ProbeTask {
  readonly scenario: string;
  readonly seed: number;
  readonly set: readonly string[];
}

/** A summary.csv row as written (numbers, and strings for formatted decimals and empty cells). */
export type SummaryRow = Readonly<Record<string, string | number>>;

export type ProbeRunner = (tasks: readonly ProbeTask[]) => Promise<SummaryRow[]>;

/** Runs the tasks one after the other in this thread, keeping only the summary rows. */
export function sequentialRunner(opts: { readonly checkInvariants?: boolean | number; readonly onRun?: () => void } = {}): ProbeRunner {
  return async (tasks) => {
    const rows: SummaryRow[] = [];
    for (const t of tasks) {
      const scenario = loadScenario(t.scenario, { seed: t.seed, set: t.set });
      const plugins = await loadPluginModules(scenario.pluginModules);
      const r = runScenario(scenario, { sinks: 'none', plugins, ...(opts.checkInvariants !== undefined ? { checkInvariants: opts.checkInvariants } : {}) });
      rows.push(r.summary);
      opts.onRun?.();
      // Let signals and progress through between runs.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return rows;
  };
}
