// `ksim run SCENARIO`: one simulation, outputs written, a summary printed.
import { join } from 'node:path';
import { runScenario } from '../run/run-scenario.js';
import { toCsv, writeOutputsAtomically } from '../metrics/csv-output.js';
import { loadScenario } from '../workload/scenario.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { KSIM_VERSION } from '../version.js';
import { printKeyValues } from './table.js';

export interface RunArgs {
  readonly scenario: string;
  readonly output?: string | undefined;
  readonly seed?: number | undefined;
  readonly set?: readonly string[] | undefined;
  readonly events?: boolean | undefined;
}

export async function runCommand(args: RunArgs, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const scenario = loadScenario(args.scenario, {
    ...(args.set !== undefined ? { set: args.set } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  });
  for (const w of scenario.warnings) err(`ksim: warning: ${w}\n`);
  const plugins = await loadPluginModules(scenario.pluginModules);
  const dir = args.output ?? join('results', scenario.name);
  const started = performance.now(); // ksim-allow-clock: wall time goes to run.json only
  const result = runScenario(scenario, { events: args.events === true, plugins });
  const wallMs = performance.now() - started; // ksim-allow-clock
  const runJson = {
    ksim_version: KSIM_VERSION,
    scenario: { path: scenario.file, name: scenario.name, sha256: scenario.sha256 },
    seed: scenario.seed,
    options: { set: args.set ?? [], events: args.events === true, output: dir },
    node_version: process.version,
    wall_time_ms: Math.round(wallMs),
    events: result.eventsProcessed,
    events_per_second: wallMs > 0 ? Math.round(result.eventsProcessed / (wallMs / 1000)) : null,
  };
  const files = [
    ...result.tables.map((t) => ({ file: t.file, content: toCsv(t) })),
    { file: 'run.json', content: `${JSON.stringify(runJson, null, 2)}\n` },
  ];
  writeOutputsAtomically(dir, files, String(process.pid));
  for (const w of result.warnings) err(`ksim: warning: ${w}\n`);
  printKeyValues(out, `ksim run ${scenario.name} (seed ${scenario.seed})`, Object.entries(result.summary));
  out(`\nWrote ${files.map((f) => f.file).join(', ')} to ${dir}/ in ${(wallMs / 1000).toFixed(2)} s of wall time.\n`);
}
