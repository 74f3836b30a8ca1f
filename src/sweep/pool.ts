// A pool of worker threads that runs simulations: what `ksim sweep` and `ksim capacity` probes
// run through.
//
// Interface (stable):
//
//   runPool(tasks: readonly RunTask[], opts?: PoolOptions): Promise<RunTaskResult[]>
//
//   RunTask     { scenario: string                  the scenario file
//                 seed?: number                     replaces the scenario's seed
//                 set?: readonly string[]           --set overrides, PATH=VALUE (YAML value)
//                 options?: { checkInvariants?: boolean | number; events?: boolean; strict?: boolean }
//                 output?: string | null            folder for the run's full outputs (written
//                                                   whole or not at all, run.json included);
//                                                   absent/null: nothing written, summary only
//                 inputs?: ScenarioInputs           the run's input files by content, for
//                                                   run.json (absent: the worker hashes them)
//                 runJson?: Record<string, unknown> extra fields for that run.json }
//   RunTaskResult, one per task, results[i] for tasks[i]:
//                 { status: 'ok', summary: RunResult['summary'] (summary.csv's row: numbers as
//                   numbers, rounded as the file has them, null for an empty cell), poolPeaks
//                   (RunResult['poolPeaks']), warnings, gpuPooledProfiles
//                   (RunResult['gpuPooledProfiles']), unplaced (RunResult['unplaced']),
//                   wallMs }
//               | { status: 'error', error: one-line message, detail: stack or message,
//                   inputError: true when bad input (InputError) rather than a bug }
//               | { status: 'crashed', error }      its worker died twice (retried once)
//               | { status: 'interrupted' }         not run: opts.signal aborted first
//   PoolOptions { workers?: number                  default os.availableParallelism()
//                 heapMib?: number                  each worker's old-space heap limit (default:
//                                                   Node.js's, or the one Node.js was given)
//                 signal?: AbortSignal              abort: runs in flight stop between slices
//                                                   of events (writing nothing), queued ones
//                                                   are not started; runPool then resolves
//                 onResult?(index, result)          in task order (0, 1, 2, ...), as soon as
//                                                   every earlier task has settled
//                 onSettled?(index, result)         in completion order (progress bars)
//                 onProgress?(index, { simUs, durationUs, events })
//                                                   where a run in flight is, a few times a
//                                                   second (progress lines) }
//
// The results, and the order of onResult calls, do not depend on the worker count or on
// timing: each run is a pure function of its task. A run that throws is that task's 'error'
// and the pool goes on; a worker that dies (an uncaught error in a plugin, process.exit, out of
// memory) is replaced and its task retried once on the new worker.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RunResult } from '../run/run-scenario.js';
import type { ScenarioInputs } from '../workload/scenario-inputs.js';
import { checkSeed } from '../api/seed.js';

export interface RunTaskOptions {
  /** As RunOptions.checkInvariants: true every event, N every N events, false never. */
  readonly checkInvariants?: boolean | number;
  /** Also write events.csv (with an output folder). */
  readonly events?: boolean;
  /** As RunOptions.strict: an object a trace applies with unknown fields fails the run. */
  readonly strict?: boolean;
}

export interface RunTask {
  readonly scenario: string;
  /** Replaces the scenario's seed: an integer 0 … 4294967295. */
  readonly seed?: number;
  readonly set?: readonly string[];
  readonly options?: RunTaskOptions;
  readonly output?: string | null;
  readonly inputs?: ScenarioInputs;
  readonly runJson?: Readonly<Record<string, unknown>>;
}

export type RunTaskResult =
  | { readonly status: 'ok'; readonly summary: RunResult['summary']; readonly poolPeaks: RunResult['poolPeaks']; readonly warnings: readonly string[]; readonly gpuPooledProfiles?: RunResult['gpuPooledProfiles']; readonly unplaced?: RunResult['unplaced']; readonly wallMs: number }
  | { readonly status: 'error'; readonly error: string; readonly detail: string; readonly inputError: boolean }
  | { readonly status: 'crashed'; readonly error: string }
  | { readonly status: 'interrupted' };

export interface PoolOptions {
  readonly workers?: number;
  readonly heapMib?: number;
  readonly signal?: AbortSignal;
  readonly onResult?: (index: number, result: RunTaskResult) => void;
  readonly onSettled?: (index: number, result: RunTaskResult) => void;
  /** Where a run in flight is, at most every PROGRESS_PERIOD_MS of its worker's wall time. */
  readonly onProgress?: (index: number, p: { readonly simUs: number; readonly durationUs: number; readonly events: number }) => void;
}

/** What the worker receives per task and sends back (pool-worker.ts). */
export interface WorkerRequest {
  readonly index: number;
  readonly task: RunTask;
}
export interface WorkerReply {
  readonly index: number;
  readonly result: RunTaskResult;
}
/** A worker's note of where its run is (when the pool asked for progress). */
export interface WorkerProgress {
  readonly index: number;
  readonly progress: { readonly simUs: number; readonly durationUs: number; readonly events: number };
}

/** How often a worker says where its run is. */
export const PROGRESS_PERIOD_MS = 200;

const WORKER_URL = new URL('./pool-worker.js', import.meta.url);

/** The default worker count: the cores this process may use. */
export function defaultWorkers(): number {
  return availableParallelism();
}

export function runPool(tasks: readonly RunTask[], opts: PoolOptions = {}): Promise<RunTaskResult[]> {
  const results: (RunTaskResult | undefined)[] = new Array(tasks.length).fill(undefined);
  const want = opts.workers ?? defaultWorkers();
  if (!Number.isSafeInteger(want) || want < 1) throw new RangeError(`workers: expected a positive integer, got ${String(want)}`);
  tasks.forEach((t, i) => {
    if (t.seed !== undefined) checkSeed(t.seed, 'runPool', `tasks[${i}].seed`);
  });
  const count = Math.min(want, tasks.length);
  // One flag all workers read between slices of events: set on abort.
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const queue = tasks.map((_, i) => i);
  const attempts = new Array<number>(tasks.length).fill(0);
  let delivered = 0;
  let settledCount = 0;
  let live = 0;

  let onAbort = () => {};
  return new Promise<RunTaskResult[]>((resolve, reject) => {
    // A callback that throws halts the pool: runs in flight stop, no more start, runPool rejects.
    let halted = false;
    const workers = new Set<Worker>();
    const aborted = () => halted || opts.signal?.aborted === true;
    const finishIfDone = () => {
      if (settledCount === tasks.length && live === 0) resolve(results as RunTaskResult[]);
    };
    const settle = (index: number, result: RunTaskResult) => {
      if (results[index] !== undefined || halted) return;
      results[index] = result;
      settledCount++;
      try {
        opts.onSettled?.(index, result);
        while (delivered < tasks.length && results[delivered] !== undefined) {
          opts.onResult?.(delivered, results[delivered]!);
          delivered++;
        }
      } catch (e) {
        halted = true;
        Atomics.store(stop, 0, 1);
        for (const w of workers) void w.terminate();
        reject(e);
      }
    };
    const drainQueue = () => {
      while (queue.length > 0) settle(queue.shift()!, { status: 'interrupted' });
    };
    onAbort = () => {
      Atomics.store(stop, 0, 1);
      drainQueue();
      finishIfDone();
    };
    if (aborted()) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });

    const spawn = () => {
      live++;
      // Set by the worker when its process 'exit' event fires: process.exit was called in it.
      const exited = new Int32Array(new SharedArrayBuffer(4));
      const worker = new Worker(WORKER_URL, { workerData: { stop, exited, progress: opts.onProgress !== undefined }, ...(opts.heapMib !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: opts.heapMib } } : {}) });
      workers.add(worker);
      let current: number | null = null;
      const next = () => {
        const index = aborted() ? undefined : queue.shift();
        if (index === undefined) {
          current = null;
          void worker.terminate();
          return;
        }
        current = index;
        attempts[index]!++;
        worker.postMessage({ index, task: tasks[index]! } satisfies WorkerRequest);
      };
      worker.on('message', (m: WorkerReply | WorkerProgress) => {
        if ('progress' in m) {
          if (!halted && results[m.index] === undefined) opts.onProgress?.(m.index, m.progress);
          return;
        }
        settle(m.index, m.result);
        next();
      });
      // An 'error' event (uncaught exception in the worker) is followed by 'exit'.
      let crash = '';
      worker.on('error', (e) => {
        crash = e.message;
      });
      worker.on('exit', (code) => {
        live--;
        workers.delete(worker);
        const lost = current;
        current = null;
        if (lost !== null) {
          const why =
            crash !== ''
              ? `worker died: ${crash} (twice: retried once)`
              : Atomics.load(exited, 0) === 1
                ? `process.exit(${code}) was called during the run (by a plugin module?), twice: retried once`
                : `worker exited with code ${code} (twice: retried once)`;
          if (aborted()) settle(lost, { status: 'interrupted' });
          else if (attempts[lost]! < 2) {
            queue.unshift(lost); // retried first, on the replacement worker
          } else settle(lost, { status: 'crashed', error: why });
          if (queue.length > 0 && !aborted()) spawn();
        }
        if (aborted()) drainQueue();
        finishIfDone();
      });
      next();
    };
    if (tasks.length === 0) {
      resolve([]);
      return;
    }
    for (let i = 0; i < count && !aborted(); i++) spawn();
    finishIfDone();
  }).finally(() => opts.signal?.removeEventListener('abort', onAbort));
}
