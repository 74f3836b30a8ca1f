// One pool task, run where it is called (a worker thread, or in-thread for tests): load the
// scenario with the task's seed and overrides, run it, write its folder when asked, and turn
// any failure into a result rather than an exception.
import { InputError } from '../api/input-error.js';
import { InvariantViolation } from '../invariants/violation.js';
import { runIntoFolder } from '../run/run-folder.js';
import { runScenarioInSlices, type PreparedRun } from '../run/run-scenario.js';
import type { Simulation } from '../engine/simulation.js';
import { loadPluginModules, PluginFailure } from '../scheduler/plugin-modules.js';
import { loadScenario, type Scenario } from '../workload/scenario.js';
import { scenarioWarnings } from '../workload/scenario-checks.js';
import type { RunTask, RunTaskResult } from './pool.js';

/** Events between looks at the stop flag: a stop takes effect within a few milliseconds. */
const SLICE_EVENTS = 20_000;

/** `shouldStop` is asked between slices of events, with the run (to report where it is). */
export async function runTask(task: RunTask, shouldStop: (sim?: Simulation, run?: PreparedRun) => boolean, tag: string): Promise<RunTaskResult> {
  const started = performance.now(); // ksim-allow-clock: wall time of the run, reported beside its outputs only
  try {
    const scenario = cachedScenario(task);
    const plugins = await loadPluginModules(scenario.pluginModules);
    const checkInvariants = task.options?.checkInvariants;
    const strict = task.options?.strict === true;
    if (task.output !== undefined && task.output !== null) {
      const done = await runIntoFolder(scenario, {
        dir: task.output,
        tag,
        set: task.set ?? [],
        events: task.options?.events === true,
        checkInvariants,
        strict,
        plugins,
        loadWarnings: [...scenario.warnings, ...scenarioWarnings(scenario)],
        ...(task.inputs !== undefined ? { inputs: task.inputs } : {}),
        ...(task.runJson !== undefined ? { runJson: task.runJson } : {}),
        sliceEvents: SLICE_EVENTS,
        shouldStop,
        nowMs: () => performance.now(), // ksim-allow-clock: run.json's wall time only
        loadMs: performance.now() - started, // ksim-allow-clock: run.json's load time only
      });
      if (done === null) return { status: 'interrupted' };
      return { status: 'ok', summary: done.result.summary, poolPeaks: done.result.poolPeaks, warnings: done.result.warnings, gpuPooledProfiles: done.result.gpuPooledProfiles, unplaced: done.result.unplaced, wallMs: done.wallMs };
    }
    const opts = { sinks: 'none' as const, plugins, strict, ...(checkInvariants !== undefined ? { checkInvariants } : {}) };
    const result = await runScenarioInSlices(scenario, opts, shouldStop, SLICE_EVENTS, () => performance.now()); // ksim-allow-clock: where slices end, not what the run gives
    if (result === null) return { status: 'interrupted' };
    return { status: 'ok', summary: result.summary, poolPeaks: result.poolPeaks, warnings: result.warnings, gpuPooledProfiles: result.gpuPooledProfiles, unplaced: result.unplaced, wallMs: performance.now() - started }; // ksim-allow-clock: not simulated output
  } catch (e) {
    return failure(e);
  }
}

/** Loaded scenarios by file and overrides: a sweep's runs differ mostly by seed, and loading
 * (YAML, schema, manifests) costs about as much as running the quickstart. The seed is only a
 * field of the result (loadScenario reads nothing else by it), and runs do not change their
 * scenario, so one load serves every seed. Kept for the worker's life (one pool). */
const scenarios = new Map<string, Scenario>();
const CACHED_SCENARIOS = 8;

function cachedScenario(task: RunTask): Scenario {
  const key = JSON.stringify([task.scenario, task.set ?? []]);
  let s = scenarios.get(key);
  if (s === undefined) {
    s = loadScenario(task.scenario, task.set !== undefined ? { set: task.set } : {});
    if (scenarios.size >= CACHED_SCENARIOS) scenarios.delete(scenarios.keys().next().value!);
    scenarios.set(key, s);
  }
  return task.seed === undefined ? s : { ...s, seed: task.seed };
}

/** A failed run as a result: bad input says so in one line, a custom plugin's exception is named
 * as the plugin's (with its frame); anything else is a bug, with its stack. */
export function failure(e: unknown): RunTaskResult {
  if (e instanceof InputError) return { status: 'error', error: e.message, detail: e.message, inputError: true };
  if (e instanceof PluginFailure) return { status: 'error', error: e.message.split('\n')[0] ?? '', detail: e.message, inputError: false };
  if (e instanceof InvariantViolation) return { status: 'error', error: `internal error: ${e.message}`, detail: e.stack ?? e.message, inputError: false };
  const err = e instanceof Error ? e : new Error(String(e));
  return { status: 'error', error: `internal error: ${err.message.split('\n')[0] ?? ''}`, detail: err.stack ?? err.message, inputError: false };
}
