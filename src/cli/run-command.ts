// `ksim run SCENARIO`: one simulation, outputs written, a summary printed.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../api/input-error.js';
import { runIntoFolder, type FolderRunResult } from '../run/run-folder.js';
import { estimateMemory } from '../run/memory-estimate.js';
import { checkOutputFolder, MARKER_FILE } from '../metrics/csv-output.js';
import { loadScenario, scenarioDocument, type Scenario } from '../workload/scenario.js';
import { scenarioWarnings } from '../workload/scenario-checks.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { REPORT_FILE, renderReport } from '../report/report.js';
import { HeapWatch, heapPlan, NeedsMoreHeap, processHeapFacts, tooBigAdvice } from './heap.js';
import { guardRunExit } from './exit.js';
import { printKeyValues, wrapOnTerminal } from './table.js';
import { FIRST_SHOWN, groupWarnings, unknownFields, warningLine } from './warnings.js';
import { linesPeriodMs, ProgressReporter, type ProgressMode, type ProgressSnapshot } from './progress.js';
import type { PreparedRun } from '../run/run-scenario.js';
import { toSeconds } from '../engine/time.js';
import { inputFilesOf } from '../workload/scenario-inputs.js';

export interface RunArgs {
  readonly scenario: string;
  readonly output?: string | undefined;
  readonly seed?: number | undefined;
  readonly set?: readonly string[] | undefined;
  readonly events?: boolean | undefined;
  /** true: check invariants after every event; N: every N events; undefined: the library's
   * default (on when KSIM_CHECK_INVARIANTS=1). */
  readonly checkInvariants?: boolean | number | undefined;
  /** How progress shows on stderr (default off: library callers and tests). */
  readonly progress?: ProgressMode | undefined;
  /** Terminal width for the live progress line. */
  readonly columns?: number | undefined;
  /** Refuse an output folder that holds an earlier run instead of replacing it. */
  readonly noClobber?: boolean | undefined;
  /** Print the summary as one JSON object on stdout instead of the table. */
  readonly json?: boolean | undefined;
  /** No notes on stderr (warnings still show). */
  readonly quiet?: boolean | undefined;
  /** Every warning, not grouped. */
  readonly verbose?: boolean | undefined;
  /** Unknown fields are errors (exit 2). */
  readonly strict?: boolean | undefined;
  /** Also write report.html (the HTML report of the run). */
  readonly report?: boolean | undefined;
  /** performance.now() when the command started (the CLI: 0, the process's start); the wall
   * time printed and run.json's load_time_ms count from it. Default: when runCommand is called. */
  readonly startedMs?: number | undefined;
}

/** Events between looks at signals and progress: small enough for a few updates a second
 * even when events are slow, large enough that the pauses cost nothing measurable. */
const PROGRESS_SLICE_EVENTS = 4_000;

export async function runCommand(args: RunArgs, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  // SIGINT/SIGTERM stop the command from the start: while loading (heard when the event loop
  // next turns: after the plugin modules load, or once the run is prepared, before its first
  // event) and between slices of events; nothing is written then. Without a handler during the
  // loading, a Ctrl-C there ended the process with no message.
  const signals: { signal: NodeJS.Signals | null } = { signal: null };
  const onSignal = (s: NodeJS.Signals) => {
    signals.signal = s;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runCommandHeard(args, out, err, signals);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function runCommandHeard(args: RunArgs, out: (s: string) => void, err: (s: string) => void, signals: { readonly signal: NodeJS.Signals | null }): Promise<void> {
  const startedMs = args.startedMs ?? performance.now(); // ksim-allow-clock: wall time goes to stderr and run.json only
  // Reading a big snapshot takes seconds before the first progress line: say what is read.
  if ((args.progress ?? 'off') !== 'off') {
    const big = bigInputs(args.scenario, args.set);
    if (big !== null) err(`ksim: loading ${args.scenario} (${big})…\n`);
  }
  const scenario = loadScenario(args.scenario, {
    ...(args.set !== undefined ? { set: args.set } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  });
  // Before anything is printed: a run relaunched with more heap starts over in the child.
  checkMemory(args.scenario, scenario, args.quiet === true);
  const loadWarnings = printLoadWarnings(args.scenario, scenario, args, err);
  const plugins = await loadPluginModules(scenario.pluginModules);
  const dir = args.output ?? join('results', scenario.name);
  if (signals.signal !== null) throw new Interrupted(signals.signal, 0, 0, dir, true);
  checkOutputFolder(dir);
  const previous = previousRun(dir);
  if (previous !== null && args.noClobber === true) {
    throw new InputError(dir, 0, 0, '', 'an output folder without an earlier run (--no-clobber)', `the run of ${previous}`);
  }
  let loading = true;
  let done: FolderRunResult | null;
  let stoppedAt = { timeUs: 0, events: 0 };
  const heap = new HeapWatch();
  let heapFull: { timeUs: number; pods: number; writes: number } | null = null;
  const progress = new ProgressReporter({
    mode: args.progress ?? 'off',
    write: err,
    nowMs: () => performance.now(), // ksim-allow-clock: progress goes to stderr only
    label: scenario.name,
    linesPeriodMs: linesPeriodMs(),
    ...(args.columns !== undefined ? { columns: args.columns } : {}),
  });
  const endExitGuard = guardRunExit(dir, err);
  try {
    done = await runIntoFolder(scenario, {
      dir,
      tag: String(process.pid),
      set: args.set ?? [],
      events: args.events === true,
      checkInvariants: args.checkInvariants,
      strict: args.strict === true,
      plugins,
      loadWarnings,
      sliceEvents: PROGRESS_SLICE_EVENTS,
      nowMs: () => performance.now(), // ksim-allow-clock: wall time goes to run.json only
      loadMs: performance.now() - startedMs, // ksim-allow-clock: run.json's load_time_ms
      ...(args.report === true ? { extraFile: (workingDir: string) => ({ file: REPORT_FILE, content: renderReport(workingDir).html }) } : {}),
      stopBeforeStart: () => {
        loading = signals.signal !== null;
        return loading;
      },
      shouldStop: (sim, run) => {
        stoppedAt = { timeUs: sim.now, events: sim.eventsProcessed };
        progress.update(() => snapshot(run));
        if (heap.nearlyFull()) heapFull = { timeUs: sim.now, pods: run.cluster.pods.size, writes: run.apiWritesInFlight() };
        return signals.signal !== null || heapFull !== null;
      },
    });
  } finally {
    endExitGuard();
    progress.finish();
  }
  const full = heapFull as { timeUs: number; pods: number; writes: number } | null;
  if (done === null && full !== null) {
    throw new InputError(args.scenario, 0, 0, 'workload', `a workload that fits in memory: at ${toSeconds(full.timeUs)} s of simulated time the run holds ${full.pods.toLocaleString('en-US')} pods${full.writes > 0 ? ` and ${full.writes.toLocaleString('en-US')} API writes not yet committed (pods being created among them)` : ''} in ${heap.usage()} (more than the estimate before the run, which counts no trace's pods). Replay a sample (a trace's sample, limit, end or instanceScale), a shorter duration, or give Node.js more heap (NODE_OPTIONS=--max-old-space-size=<MiB>); nothing was written`);
  }
  if (done === null) throw new Interrupted(signals.signal ?? 'SIGINT', stoppedAt.timeUs, stoppedAt.events, dir, loading);
  const { result, written, wallMs, loadMs } = done;
  for (const w of groupWarnings(result.warnings, args.verbose === true)) err(warningLine(w));
  if (previous !== null && args.quiet !== true) err(`ksim: replaced ${dir}/ (previous run ${previous})\n`);
  if (args.json === true) {
    out(`${JSON.stringify(result.summary)}\n`);
    return;
  }
  printKeyValues(out, `ksim run ${scenario.name} (seed ${scenario.seed})`, Object.entries(result.tables[0]?.rows[0] ?? {}));
  const totalMs = performance.now() - startedMs; // ksim-allow-clock: printed only
  out(`\n${wrapOnTerminal(`Wrote ${written.join(', ')} to ${dir}/ in ${wallTimeText(totalMs, loadMs, wallMs)}.`)}\n`);
}

/** "17.40 s of wall time (11.10 s loading, 6.30 s simulating and writing)": the whole command,
 * then its parts (loading: the process's start, reading the scenario and its files, hashing
 * them; the rest, a few milliseconds of printing, is in neither part). */
export function wallTimeText(totalMs: number, loadMs: number, runMs: number): string {
  const s = (ms: number) => (ms / 1000).toFixed(2);
  return `${s(totalMs)} s of wall time (${s(loadMs)} s loading, ${s(runMs)} s simulating and writing)`;
}

/** Files a scenario reads whole at load (cluster.file, workload[].file; traces are read as the
 * run goes), as the --set overrides `set` leave them, when they total BIG_INPUT_BYTES or more,
 * as "cluster snapshot 192 MiB in 5 files"; null for smaller ones, or when the scenario cannot be
 * read (loading then says why). */
export function bigInputs(file: string, set: readonly string[] = [], minBytes = BIG_INPUT_BYTES): string | null {
  let inputs: ReturnType<typeof inputFilesOf>;
  try {
    inputs = inputFilesOf(scenarioDocument(file, set), file, '');
  } catch {
    return null;
  }
  const parts = new Map<string, { bytes: number; files: number }>();
  let total = 0;
  for (const f of inputs) {
    const what = f.field.startsWith('cluster.file') ? 'cluster snapshot' : /^workload\[\d+\]\.file$/.test(f.field) ? 'workload files' : null;
    if (what === null) continue;
    let bytes = 0;
    try {
      bytes = statSync(f.file).size;
    } catch {
      continue;
    }
    const p = parts.get(what) ?? { bytes: 0, files: 0 };
    p.bytes += bytes;
    p.files++;
    parts.set(what, p);
    total += bytes;
  }
  if (total < minBytes) return null;
  const mib = (b: number) => `${b >= 10 * 2 ** 20 ? Math.round(b / 2 ** 20) : (b / 2 ** 20).toFixed(1)} MiB`;
  return [...parts].map(([what, p]) => `${what} ${mib(p.bytes)}${p.files > 1 ? ` in ${p.files} files` : ''}`).join(', ');
}

/** Inputs from which loading is announced: about a second of reading and parsing. */
export const BIG_INPUT_BYTES = 16 * 2 ** 20;

/** Prints a loaded scenario's warnings (grouped unless verbose) and returns them; with
 * `strict`, unknown fields are an InputError instead. */
export function printLoadWarnings(file: string, scenario: Scenario, args: { readonly strict?: boolean | undefined; readonly verbose?: boolean | undefined }, err: (s: string) => void): string[] {
  if (args.strict === true) {
    const unknown = unknownFields(scenario.warnings);
    if (unknown.length > 0) {
      for (const w of args.verbose === true ? unknown : unknown.slice(0, FIRST_SHOWN)) err(`ksim: error: ${w}\n`);
      throw new InputError(file, 0, 0, '', 'no unknown fields (--strict)', `${unknown.length} unknown field${unknown.length === 1 ? '' : 's'}${unknown.length > FIRST_SHOWN && args.verbose !== true ? ` (first ${FIRST_SHOWN} above; --verbose lists all)` : ''}`);
    }
  }
  const loadWarnings = [...scenario.warnings, ...scenarioWarnings(scenario)];
  for (const w of groupWarnings(loadWarnings, args.verbose === true)) err(warningLine(w));
  return loadWarnings;
}

/** When the run whose outputs are in `dir` finished ("2026-12-02 20:54:53 UTC", from its
 * run.json's time), or null when `dir` holds no earlier run. */
export function previousRun(dir: string): string | null {
  let mtime: Date;
  try {
    mtime = statSync(join(dir, MARKER_FILE)).mtime;
  } catch {
    return null;
  }
  return `${mtime.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Where a run is: the simulated clock and the live pods, bound (to a node) or still pending.
 * Finished pods the pod garbage collector has not deleted yet are not live. */
export function snapshot(run: PreparedRun): ProgressSnapshot {
  let bound = 0;
  let pending = 0;
  for (const p of run.cluster.pods.values()) {
    if (p.terminal) continue;
    if (p.nodeName !== null) bound++;
    else pending++;
  }
  return { simUs: run.sim.now, durationUs: run.endUs, events: run.sim.eventsProcessed, podsBound: bound, podsPending: pending };
}

/** A run stopped by a signal; the CLI reports where and exits 130 (SIGINT) or 143 (SIGTERM).
 * `loading`: before the simulation started (reading the scenario and its files, preparing the
 * run). */
export class Interrupted extends Error {
  constructor(
    readonly signal: NodeJS.Signals,
    readonly timeUs: number,
    readonly events: number,
    readonly dir: string,
    readonly loading = false,
  ) {
    super(
      loading
        ? `interrupted by ${signal} while loading the scenario, before the simulation started; nothing was written to ${dir}/`
        : `interrupted by ${signal} at simulated time ${(timeUs / 1e6).toFixed(3)} s after ${events} events; nothing was written to ${dir}/`,
    );
  }
}

/** Before running: a scenario whose estimated memory exceeds what this process may use is run
 * again with more heap when the machine has the memory (NeedsMoreHeap, src/cli/heap.ts), else
 * refused with advice. */
function checkMemory(file: string, scenario: Parameters<typeof estimateMemory>[0], quiet: boolean): void {
  const est = estimateMemory(scenario);
  const plan = heapPlan({ ...processHeapFacts(), estimateBytes: est.bytes });
  if (plan.kind === 'fits') return;
  if (plan.kind === 'relaunch') throw new NeedsMoreHeap(plan.mib, est.bytes, quiet);
  throw new InputError(file, 0, 0, 'workload', tooBigAdvice('this one', est, plan.why));
}
