// A worker thread that checks a sweep's scheduler configurations whose plugins come from plugin
// modules (scheduler.pluginModules), before any run starts (check-configs.ts; and a capacity
// --nodes-for scenario's, before any probe): it imports the modules and builds
// every matrix combination's profiles, as `ksim run` does before its run, so a plugin name no
// module exports, or a plugin at an extension point it does not implement, stops the sweep with
// run's message (exit 2) rather than failing every run. Building a profile calls the modules'
// factories, users' code, which is kept off the sweep's own thread (pool.ts runs them the same
// way). Replies with the first InputError's fields, or null.
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '../api/input-error.js';
import { validateScenarioScheduler } from '../run/run-scenario.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { loadScenario } from '../workload/scenario.js';

/** workerData: the scenario file and, per combination to check, its --set overrides. */
export interface CheckRequest {
  readonly scenario: string;
  readonly sets: readonly (readonly string[])[];
}

/** The reply: the index of the first combination refused and its error, or null: all build
 * (or fail otherwise than as bad input: a factory's exception is the runs' to report). */
export type CheckReply = { readonly index: number; readonly error: { file: string; line: number; column: number; path: string; expected: string; got?: string } } | null;

async function check(req: CheckRequest): Promise<CheckReply> {
  for (const [index, set] of req.sets.entries()) {
    try {
      const scenario = loadScenario(req.scenario, { set });
      const registry = inTreeRegistry();
      for (const [name, f] of await loadPluginModules(scenario.pluginModules)) registry.set(name, f);
      validateScenarioScheduler(scenario, registry);
    } catch (e) {
      if (!(e instanceof InputError)) continue;
      return { index, error: { file: e.file, line: e.line, column: e.column, path: e.path, expected: e.expected, ...(e.got !== undefined ? { got: e.got } : {}) } };
    }
  }
  return null;
}

void check(workerData as CheckRequest).then((r) => parentPort!.postMessage(r satisfies CheckReply));
