// One run written to its output folder: placements.csv and pods.csv streamed as the run goes,
// the other tables and run.json at the end, the folder swapped in only when complete (an
// interrupted or failed run writes nothing). Shared by `ksim run` and the sweep workers.
import { OutputFolder, toCsv, type OutputFile } from '../metrics/csv-output.js';
import { columnsOf } from '../metrics/schema.js';
import type { PluginFactory } from '../scheduler/framework/interfaces.js';
import type { Simulation } from '../engine/simulation.js';
import type { Scenario } from '../workload/scenario.js';
import { hashScenarioInputs, type ScenarioInputs } from '../workload/scenario-inputs.js';
import { KSIM_VERSION } from '../version.js';
import { extendedResourcesOfRun, runScenarioInSlices, wallClockOf, type PreparedRun, type RunResult } from './run-scenario.js';

export interface FolderRunOptions {
  /** The output folder (replaced as a whole when the run completes). */
  readonly dir: string;
  /** Tags the temporary sibling folder (a process id, a worker id). */
  readonly tag: string;
  /** The --set overrides the scenario was loaded with (recorded in run.json). */
  readonly set: readonly string[];
  readonly events: boolean;
  readonly checkInvariants?: boolean | number | undefined;
  /** --strict: a trace object with unknown fields stops the run (RunOptions.strict). */
  readonly strict?: boolean | undefined;
  readonly plugins: ReadonlyMap<string, PluginFactory>;
  /** The scenario's load warnings (recorded in run.json before the run's own). */
  readonly loadWarnings: readonly string[];
  /** The run's input files by content (run.json's inputs); absent: hashed here, before the
   * run (a sweep hashes them once for all its runs). */
  readonly inputs?: ScenarioInputs;
  /** Extra run.json fields (a sweep's run id and matrix values). */
  readonly runJson?: Readonly<Record<string, unknown>>;
  /** Events per slice between calls of `shouldStop`. */
  readonly sliceEvents?: number;
  /** Asked between slices: true stops the run (nothing is written). */
  readonly shouldStop?: (sim: Simulation, run: PreparedRun) => boolean;
  /** Asked once before the first event, the inputs read and the run prepared (see
   * runScenarioInSlices): true ends the run with nothing written. */
  readonly stopBeforeStart?: () => boolean;
  /** Wall-clock milliseconds (run.json's wall_time_ms and load_time_ms); absent: not recorded. */
  readonly nowMs?: () => number;
  /** Wall time spent before this call reading the scenario and its files (run.json's
   * load_time_ms, with the hashing of the inputs here). */
  readonly loadMs?: number;
  /** One more file made from the complete outputs, read from the folder being written (the
   * HTML report): swapped in with them, or, when it throws, nothing is. */
  readonly extraFile?: (workingDir: string) => OutputFile;
}

export interface FolderRunResult {
  readonly result: RunResult;
  /** The files written, in listing order (summary.csv, placements.csv, pods.csv, ...). */
  readonly written: readonly string[];
  /** Simulating and writing the outputs (run.json's wall_time_ms). */
  readonly wallMs: number;
  /** Loading before it: opts.loadMs and hashing the inputs (run.json's load_time_ms). */
  readonly loadMs: number;
}

/** The options a run was made with, as run.json records them (a sweep resumes a run only when
 * they are the same; its failed runs record them too). */
export function runJsonOptions(o: { readonly set: readonly string[]; readonly events?: boolean | undefined; readonly checkInvariants?: boolean | number | undefined; readonly strict?: boolean | undefined }): Record<string, unknown> {
  return { set: o.set, events: o.events === true, ...(o.checkInvariants !== undefined ? { check_invariants: o.checkInvariants } : {}), ...(o.strict === true ? { strict: true } : {}) };
}

/** run.json's and sweep.json's record of the inputs: their digest, then each file. */
export function inputsJson(inputs: ScenarioInputs): { inputs_sha256: string; inputs: ScenarioInputs['files'] } {
  return { inputs_sha256: inputs.sha256, inputs: inputs.files };
}

/** Runs `scenario` into `opts.dir`; null when `shouldStop` ended it early (nothing written). */
export async function runIntoFolder(scenario: Scenario, opts: FolderRunOptions): Promise<FolderRunResult | null> {
  const hashing = opts.nowMs?.() ?? 0;
  const inputs = opts.inputs ?? hashScenarioInputs(scenario);
  const started = opts.nowMs?.() ?? 0;
  // Hashing reads every input file again (a big snapshot's hundreds of MB): loading, not the run.
  const loadMs = (opts.loadMs ?? 0) + (started - hashing);
  const folder = new OutputFolder(opts.dir, opts.tag);
  let result: RunResult | null;
  try {
    const sinks = { 'placements.csv': folder.stream('placements.csv', columnsOf('placements.csv')), 'pods.csv': folder.stream('pods.csv', columnsOf('pods.csv', { resources: extendedResourcesOfRun(scenario) })) };
    const runOpts = { events: opts.events, plugins: opts.plugins, sinks, strict: opts.strict === true, ...(opts.checkInvariants !== undefined ? { checkInvariants: opts.checkInvariants } : {}) };
    result = await runScenarioInSlices(scenario, runOpts, opts.shouldStop ?? (() => false), opts.sliceEvents, opts.nowMs, opts.stopBeforeStart);
  } catch (e) {
    folder.abort();
    throw e;
  }
  if (result === null) {
    folder.abort();
    return null;
  }
  const wallMs = (opts.nowMs?.() ?? 0) - started;
  const runJson = {
    ksim_version: KSIM_VERSION,
    scenario: { path: scenario.file, name: scenario.name, sha256: scenario.sha256 },
    ...inputsJson(inputs),
    seed: scenario.seed,
    // The wall-clock time of t = 0: a cluster snapshot's own time, else 2026-01-01T00:00:00Z.
    clock_start: wallClockOf(scenario).text(0),
    ...opts.runJson,
    options: { ...runJsonOptions(opts), output: opts.dir },
    node_version: process.version,
    // Simulating and writing the outputs; the loading before (the process's start, reading the
    // scenario and the files it names, hashing them) is load_time_ms.
    load_time_ms: Math.round(loadMs),
    wall_time_ms: Math.round(wallMs),
    events: result.eventsProcessed,
    events_per_second: wallMs > 0 ? Math.round(result.eventsProcessed / (wallMs / 1000)) : null,
    // The warnings printed on stderr: the scenario's, then the run's (e.g. workloads ending short).
    warnings: [...opts.loadWarnings, ...result.warnings],
    // Trace entries: rows read, filtered (window/sample), skipped (onError: skip), submitted.
    ...(result.traces !== undefined ? { traces: result.traces } : {}),
    // GPU sharing: the shared resource (the report names the GPUs its curves cover).
    ...(result.gpuSharing !== undefined ? { gpu_sharing: result.gpuSharing } : {}),
  };
  const files = [
    ...result.tables.map((t) => ({ file: t.file, content: toCsv(t) })),
    { file: 'run.json', content: `${JSON.stringify(runJson, null, 2)}\n` },
  ];
  if (opts.extraFile !== undefined) {
    try {
      folder.write(files);
      files.push(opts.extraFile(folder.workingDir));
    } catch (e) {
      folder.abort();
      throw e;
    }
  }
  folder.commit(files);
  // The streamed placements.csv and pods.csv are listed where the tables put them, after summary.csv.
  const written = files.map((f) => f.file);
  written.splice(1, 0, 'placements.csv', 'pods.csv');
  return { result, written, wallMs, loadMs };
}
