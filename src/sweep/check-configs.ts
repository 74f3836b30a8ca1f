// A scenario's scheduler configurations checked before any of its runs start, as `ksim run`
// checks its one before its run: `ksim sweep` (every matrix combination) and `ksim capacity
// --nodes-for` (its probes) stop with run's message (exit 2) rather than after runs went by.
// Configurations whose plugins come from plugin modules are built in a worker thread
// (check-worker.ts): building a profile calls the modules' factories, users' code, which is kept
// off the command's own thread (a factory may crash it).
import { Worker } from 'node:worker_threads';
import { InputError } from '../api/input-error.js';
import { validateScenarioScheduler } from '../run/run-scenario.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import type { Scenario } from '../workload/scenario.js';
import type { CheckReply, CheckRequest } from './check-worker.js';

const CHECK_WORKER_URL = new URL('./check-worker.js', import.meta.url);

/** The scenario `file` loaded with each of `sets` (--set lists), its profiles built with its
 * plugin modules in a worker thread (with `heapMib`, the runs' heap: the modules' top-level code
 * runs there as in the runs' workers): the first refused, by its index in `sets`, or null. A
 * worker that dies (a module calling process.exit) checks nothing: the runs then report it. */
export async function checkConfigsWithModules(file: string, sets: readonly (readonly string[])[], heapMib?: number): Promise<{ readonly index: number; readonly error: InputError } | null> {
  if (sets.length === 0) return null;
  const reply = await new Promise<CheckReply>((resolve) => {
    const worker = new Worker(CHECK_WORKER_URL, {
      workerData: { scenario: file, sets } satisfies CheckRequest,
      ...(heapMib !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: heapMib } } : {}),
    });
    let answer: CheckReply = null;
    worker.on('message', (m: CheckReply) => {
      answer = m;
      void worker.terminate();
    });
    worker.on('error', () => {});
    worker.on('exit', () => resolve(answer));
  });
  if (reply === null) return null;
  const { file: f, line, column, path, expected, got } = reply.error;
  return { index: reply.index, error: new InputError(f, line, column, path, expected, got) };
}

/** `scenario` (the file `file` loaded with `set`) checked as ksim run checks it: its profiles
 * built, in this thread when its plugins are all built in, else in a worker thread
 * (checkConfigsWithModules); throws the InputError of one refused. */
export async function checkScenarioConfig(scenario: Scenario, file: string, set: readonly string[], heapMib?: number): Promise<void> {
  if (scenario.pluginModules.length === 0) {
    validateScenarioScheduler(scenario, inTreeRegistry());
    return;
  }
  const refused = await checkConfigsWithModules(file, [set], heapMib);
  if (refused !== null) throw refused.error;
}
