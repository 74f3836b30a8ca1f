// `ksim sweep SCENARIO --seeds 1-100 [--matrix PATH=V1,V2 ...] -o DIR`: many runs in worker
// threads (src/sweep/sweep.ts), progress on stderr, a short summary on stdout; or, with
// --emit-job, the Kubernetes Indexed Job that runs the sweep as shards.
import { basename, extname } from 'node:path';
import type { Argv } from 'yargs';
import { InputError } from '../api/input-error.js';
import { parseMatrix, parseSeeds, parseShard, planRuns } from '../sweep/plan.js';
import { runSweep, SWEEP_CSV, type SweepProgress } from '../sweep/sweep.js';
import { defaultWorkers } from '../sweep/pool.js';
import { indexedJobYaml, jobName } from '../sweep/job.js';
import { loadScenario } from '../workload/scenario.js';
import { CommandExit } from './exit.js';
import { planPoolMemory } from './heap.js';
import { linesPeriodMs, progressMode, ProgressReporter, runRate, sweepProgressText, type ProgressMode } from './progress.js';
import { printLoadWarnings } from './run-command.js';
import { printKeyValues, wrapOnTerminal } from './table.js';

export interface SweepArgs {
  readonly scenario: string;
  readonly seeds: string;
  readonly matrix?: readonly string[] | undefined;
  readonly set?: readonly string[] | undefined;
  readonly output: string;
  readonly workers?: number | undefined;
  readonly shard?: string | undefined;
  readonly events?: boolean | undefined;
  readonly checkInvariants?: boolean | number | undefined;
  readonly progress?: ProgressMode | undefined;
  readonly columns?: number | undefined;
  readonly quiet?: boolean | undefined;
  readonly verbose?: boolean | undefined;
  readonly strict?: boolean | undefined;
  readonly job?: JobArgs | undefined;
}

/** --emit-job and its flags. */
export interface JobArgs {
  readonly shards: number;
  readonly parallelism?: number | undefined;
  readonly image: string;
  readonly volumeClaim: string;
  readonly volumePath: string;
  readonly name?: string | undefined;
  readonly namespace?: string | undefined;
}

export async function sweepCommand(a: SweepArgs, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const seeds = parseSeeds(a.seeds);
  const matrix = (a.matrix ?? []).map(parseMatrix);
  const set = a.set ?? [];
  if (a.job !== undefined) {
    if (a.shard !== undefined) throw new InputError('--shard', 0, 0, '', 'no --shard with --emit-job (the Job gives each pod its shard)');
    planRuns(seeds, matrix, set); // the run list's own checks (size, repeated paths)
    out(indexedJobYaml({
      sweepArgs: sweepArgsOf(a),
      output: a.output,
      shards: a.job.shards,
      ...(a.job.parallelism !== undefined ? { parallelism: a.job.parallelism } : {}),
      ...(a.workers !== undefined ? { workers: a.workers } : {}),
      image: a.job.image,
      volumeClaim: a.job.volumeClaim,
      volumePath: a.job.volumePath,
      name: a.job.name ?? jobName(`ksim-sweep-${basename(a.scenario, extname(a.scenario))}`),
      ...(a.job.namespace !== undefined ? { namespace: a.job.namespace } : {}),
    }));
    return;
  }
  const shard = a.shard !== undefined ? parseShard(a.shard) : null;
  // Warnings (and --strict) once, from the scenario as the sweep's own --set leaves it.
  printLoadWarnings(a.scenario, loadScenario(a.scenario, { set }), a, err);
  let workers = a.workers ?? defaultWorkers();
  const progress = new ProgressReporter<SweepProgress>({
    mode: a.progress ?? 'off',
    write: err,
    nowMs: () => performance.now(),
    label: `sweep ${basename(a.scenario, extname(a.scenario))}`,
    linesPeriodMs: linesPeriodMs(),
    format: sweepProgressText,
    ...(a.columns !== undefined ? { columns: a.columns } : {}),
  });
  // The first Ctrl-C stops the runs in flight between slices of events (their folders are not
  // written) and starts no more; a second one exits at once.
  const ac = new AbortController();
  let signal: NodeJS.Signals | null = null;
  const onSignal = (s: NodeJS.Signals) => {
    if (signal !== null) process.exit(s === 'SIGTERM' ? 143 : 130);
    signal = s;
    ac.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  let result: Awaited<ReturnType<typeof runSweep>>;
  try {
    result = await runSweep({
      scenario: a.scenario,
      seeds,
      matrix,
      set,
      output: a.output,
      planMemory: (est) => {
        const plan = planPoolMemory(a.scenario, est, workers, a.quiet === true ? () => {} : err);
        workers = plan.workers;
        return plan;
      },
      shard,
      options: { events: a.events === true, strict: a.strict === true, ...(a.checkInvariants !== undefined ? { checkInvariants: a.checkInvariants } : {}) },
      signal: ac.signal,
      onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.finish();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const wallS = (performance.now() - started) / 1000;
  const count = (s: string) => result.statuses.filter((x) => x === s).length;
  const complete = result.statuses.length - count('interrupted');
  if (result.interrupted) {
    throw new CommandExit(signal === 'SIGTERM' ? 143 : 130, `sweep interrupted by ${signal ?? 'SIGINT'}: ${complete} of ${result.runs.length} runs complete in ${a.output}/ (no ${SWEEP_CSV} yet); run the same command again to resume`);
  }
  const ran = result.runs.length - result.resumed;
  const used = Math.min(workers, ran); // the pool starts no more workers than runs
  const how = ran === 0 ? 'all resumed' : `${used} worker${used === 1 ? '' : 's'}`;
  // A shard past the run count (--seeds 1-2 --shard 3/3) has no runs: not "all resumed".
  const total = shard !== null && result.runs.length === 0 ? planRuns(seeds, matrix, set).length : 0;
  const head =
    shard !== null && result.runs.length === 0
      ? `0 runs: shard ${shard.index}/${shard.count} has none (the sweep has ${total} run${total === 1 ? '' : 's'}, fewer than its ${shard.count} shards)`
      : `${result.runs.length} runs${shard !== null ? ` (shard ${shard.index}/${shard.count})` : ''}, ${how}`;
  printKeyValues(out, `ksim sweep ${result.scenario.name}: ${head}`, [
    ['ok', count('ok')],
    ['error', count('error')],
    ['crashed', count('crashed')],
    ['resumed', result.resumed],
  ]);
  out(`\n${wrapOnTerminal(`Wrote ${SWEEP_CSV} and ${result.runs.length} run folders to ${a.output}/ in ${wallS.toFixed(2)} s of wall time (${ran} run${ran === 1 ? '' : 's'}, ${ran > 0 && wallS > 0 ? runRate(ran, wallS, 2) : '- runs/s'}).`)}\n`);
  const failed = count('error') + count('crashed');
  if (failed > 0) {
    const ids = result.runs.filter((_, i) => result.statuses[i] === 'error' || result.statuses[i] === 'crashed').map((r) => r.id);
    throw new CommandExit(1, `${failed} of ${result.runs.length} runs failed (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', ...' : ''}): see the status column of ${a.output}/${SWEEP_CSV} and ${a.output}/<run_id>/error.txt`);
  }
}

/** The sweep's arguments for a Job's container: what selects and configures the runs. */
function sweepArgsOf(a: SweepArgs): string[] {
  return [
    a.scenario,
    '--seeds', a.seeds,
    ...(a.matrix ?? []).flatMap((m) => ['--matrix', m]),
    ...(a.set ?? []).flatMap((s) => ['--set', s]),
    ...(a.events === true ? ['--events'] : []),
    ...(a.checkInvariants === true ? ['--check-invariants'] : typeof a.checkInvariants === 'number' ? [`--check-invariants=${a.checkInvariants}`] : []),
    ...(a.strict === true ? ['--strict'] : []),
  ];
}

/** --workers, --shards, --parallelism, --resamples: an integer in [min, max] (yargs would turn
 * "abc" into NaN), or undefined when absent. */
export function positiveIntOption(flag: string, v: unknown, min = 1, max = 1024): number | undefined {
  if (v === undefined) return undefined;
  const s = String(v);
  if (/^\d+$/.test(s) && Number(s) >= min && Number(s) <= max) return Number(s);
  throw new InputError(flag, 0, 0, '', `an integer from ${min} to ${max}`, JSON.stringify(s));
}

/** Registers `ksim sweep` on the command line (src/cli/main.ts). */
export function registerSweepCommand<T>(y: Argv<T>, out: (s: string) => void, checkInvariantsOption: (v: unknown) => boolean | number | undefined): Argv<T> {
  return y.command(
    'sweep <scenario>',
    `Run a scenario over many seeds and --matrix values in worker threads; one run folder each and ${SWEEP_CSV}`,
    (c) =>
      c
        .positional('scenario', { type: 'string', demandOption: true, describe: 'Scenario YAML file' })
        .option('seeds', { type: 'string', demandOption: true, describe: 'Seeds: N, A-B or a comma-separated list of them, e.g. 1-100' })
        .option('matrix', { type: 'string', array: true, describe: 'PATH=V1,V2,...: run every value of a scenario field (PATH as in --set); repeatable, the cross product is run' })
        .option('set', { type: 'string', array: true, describe: 'Override a scenario field in every run: PATH=VALUE (repeatable)' })
        .option('output', { alias: 'o', type: 'string', demandOption: true, describe: `Sweep folder: one sub-folder per run (r1, r2, ... zero-padded to the run count: r01 ... r20), ${SWEEP_CSV} and sweep.json; an earlier sweep there is resumed` })
        .option('workers', { type: 'string', describe: `Worker threads (default: the cores available, ${defaultWorkers()} here)` })
        .option('shard', { type: 'string', describe: 'I/N: run only the I-th of N slices of the run list (join the shards with ksim merge)' })
        .option('events', { type: 'boolean', default: false, describe: 'Also write events.csv in every run folder' })
        .option('check-invariants', { describe: 'Check the simulation\'s invariants in every run (=N: every N events)' })
        .option('progress', { type: 'boolean', describe: 'Show the live progress line on stderr even when it is not a terminal' })
        .option('verbose', { type: 'boolean', default: false, describe: 'Print every warning' })
        .option('strict', { type: 'boolean', default: false, describe: 'Unknown fields in the scenario\'s objects are errors (exit 2)' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress on stderr' })
        .option('emit-job', { type: 'boolean', default: false, describe: 'Print a Kubernetes Indexed Job running this sweep as --shards pods instead of running it' })
        .option('shards', { type: 'string', describe: 'With --emit-job: the number of shards (the Job\'s completions)' })
        .option('parallelism', { type: 'string', describe: 'With --emit-job: pods running at a time (default: all)' })
        .option('image', { type: 'string', describe: 'With --emit-job: a container image with ksim on its PATH' })
        .option('volume-claim', { type: 'string', describe: 'With --emit-job: the PersistentVolumeClaim holding the scenario and receiving -o' })
        .option('volume-path', { type: 'string', default: '/ksim', describe: 'With --emit-job: where the volume is mounted (the working directory)' })
        .option('job-name', { type: 'string', describe: 'With --emit-job: the Job\'s name (default ksim-sweep-<scenario>)' })
        .option('namespace', { type: 'string', describe: 'With --emit-job: the Job\'s namespace' })
        .example('$0 sweep scenarios/quickstart.yaml --seeds 1-100 -o results/sweep', '100 seeds on every core')
        .example('$0 sweep scenarios/quickstart.yaml --seeds 1-20 --matrix cluster.nodePools[0].count=4,6,8 -o results/nodes', '3 pool sizes × 20 seeds')
        .example('$0 sweep scenarios/quickstart.yaml --seeds 1-100 --shard 2/4 -o results/shard-2', 'The second of four shards'),
    async (a) => {
      const emit = a['emit-job'];
      let job: JobArgs | undefined;
      if (emit) {
        const need = (flag: string, v: string | undefined): string => {
          if (v === undefined || v === '') throw new InputError(`--${flag}`, 0, 0, '', `a value (required with --emit-job)`);
          return v;
        };
        job = {
          shards: positiveIntOption('--shards', need('shards', a.shards))!,
          parallelism: positiveIntOption('--parallelism', a.parallelism),
          image: need('image', a.image),
          volumeClaim: need('volume-claim', a['volume-claim']),
          volumePath: a['volume-path'],
          name: a['job-name'],
          namespace: a.namespace,
        };
      } else {
        for (const f of ['shards', 'parallelism', 'image', 'volume-claim', 'job-name', 'namespace'] as const) {
          if (a[f] !== undefined) throw new InputError(`--${f}`, 0, 0, '', 'to be given only with --emit-job');
        }
      }
      await sweepCommand(
        {
          scenario: a.scenario,
          seeds: a.seeds,
          matrix: a.matrix,
          set: a.set,
          output: a.output,
          workers: positiveIntOption('--workers', a.workers),
          shard: a.shard,
          events: a.events,
          checkInvariants: checkInvariantsOption(a['check-invariants']),
          progress: progressMode({ quiet: a.quiet, progress: a.progress, isTTY: process.stderr.isTTY === true }),
          columns: process.stderr.columns,
          quiet: a.quiet,
          verbose: a.verbose,
          strict: a.strict,
          job,
        },
        out,
        (t) => process.stderr.write(t),
      );
    },
  );
}
