// `ksim capacity`: how many more replicas of a pod fit (in a scenario's cluster at a time, or in
// a cluster snapshot), or how many nodes of a pool a workload needs (--nodes-for).
import type { Argv } from 'yargs';
import { InputError } from '../api/input-error.js';
import { parseDuration } from '../api/duration.js';
import { podCapacity, snapshotScenario, type PodCapacity } from '../capacity/pod-capacity.js';
import { formatCost } from '../capacity/nodes-for.js';
import { isPoolMetric } from '../capacity/target.js';
import { loadScenario } from '../workload/scenario.js';
import { loadPluginModules } from '../scheduler/plugin-modules.js';
import { readConfigFile } from '../run/explain-files.js';
import { groupWarnings, warningLine } from './warnings.js';
import { nodesForCommand, type NodesForArgs } from './nodes-for-command.js';
import { progressMode } from './progress.js';

export interface CapacityArgs extends NodesForArgs {
  readonly scenario?: string | undefined;
  readonly pod?: string | undefined;
  readonly at?: string | undefined;
  readonly cluster?: readonly string[] | undefined;
  /** With --cluster: the KubeSchedulerConfiguration to count with (as ksim explain's). */
  readonly config?: string | readonly string[] | undefined;
  readonly configDocument?: number | undefined;
  readonly configKey?: string | undefined;
  /** With --cluster: out-of-tree plugin modules (as ksim explain's), for --config's profiles. */
  readonly pluginModule?: readonly string[] | undefined;
  readonly json?: boolean | undefined;
  readonly set?: readonly string[] | undefined;
  readonly seed?: number | undefined;
}

export async function capacityCommand(a: CapacityArgs, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  if (a.nodesFor !== undefined) {
    if (a.pod !== undefined || a.cluster !== undefined || a.at !== undefined) throw new InputError('--nodes-for', 0, 0, '', 'no --pod, --cluster or --at (--nodes-for sizes a pool for the scenario\'s workload)');
    if (a.config !== undefined || a.configDocument !== undefined || a.configKey !== undefined) throw new InputError('--config', 0, 0, '', '--cluster SNAPSHOT --pod FILE with it (--nodes-for runs the scenario with its own scheduler.config; --set changes it)', '--config with --nodes-for');
    if (a.pluginModule !== undefined) throw new InputError('--plugin-module', 0, 0, '', '--cluster SNAPSHOT --pod FILE with it (--nodes-for runs the scenario with its own scheduler.pluginModules; --set changes them)', '--plugin-module with --nodes-for');
    if (a.scenario === undefined) throw new InputError('--nodes-for', 0, 0, '', 'a SCENARIO whose workload the pool is sized for');
    return nodesForCommand({ ...a, scenario: a.scenario, nodesFor: a.nodesFor }, out, err);
  }
  if (a.target !== undefined) {
    // --pod counts copies of a pod: no pool is sized, nothing for a target to bound (it was
    // ignored). A pool metric names the pool --nodes-for sizes.
    const list = typeof a.target === 'string' ? [a.target] : a.target;
    const pool = list.map((t) => /^\s*(pool_[A-Za-z0-9_./-]+?)\s*(?:<|>|=|$)/.exec(t)?.[1]).find((m) => m !== undefined && isPoolMetric(m));
    throw new InputError('--target', 0, 0, '', pool !== undefined ? `--nodes-for POOL with it: ${pool} is the requested ratio of the pool --nodes-for sizes` : '--nodes-for POOL with it (a target is what the sized pool must meet; --pod counts copies of a pod)', `--target ${list.map((t) => JSON.stringify(t)).join(' --target ')} without --nodes-for`);
  }
  // The search's options: --pod runs no search (they were ignored).
  const searchOnly = ([['--tolerate', a.tolerate], ['--seeds', a.seeds], ['--max-count', a.maxCount], ['--workers', a.workers]] as const).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (searchOnly.length > 0) throw new InputError(searchOnly[0] as string, 0, 0, '', `--nodes-for POOL with it (${searchOnly.join(', ')} ${searchOnly.length === 1 ? 'shapes' : 'shape'} the search for a pool's size; --pod counts copies of a pod in one run)`, `${searchOnly.join(', ')} without --nodes-for`);
  if (a.pod === undefined) throw new InputError('ksim capacity', 0, 0, '', '--pod FILE (how many more of it fit) or --nodes-for POOL (how many nodes the workload needs)');
  if (a.cluster !== undefined && a.scenario !== undefined) throw new InputError('--cluster', 0, 0, '', 'either a SCENARIO or --cluster SNAPSHOT, not both');
  if (a.cluster === undefined && a.scenario === undefined) throw new InputError('ksim capacity', 0, 0, '', 'a SCENARIO, or --cluster SNAPSHOT (a kubectl get -A -o json dump)');
  if (a.cluster !== undefined && a.at !== undefined) throw new InputError('--at', 0, 0, '', 'a SCENARIO to run to that time (a --cluster snapshot is taken as it is)');
  const configOptions = ([['--config', a.config], ['--config-document', a.configDocument], ['--config-key', a.configKey]] as const).filter(([, v]) => v !== undefined).map(([k]) => k);
  if (configOptions.length > 0 && a.cluster === undefined) throw new InputError(configOptions[0] as string, 0, 0, '', '--cluster SNAPSHOT with it (a SCENARIO schedules with its own scheduler.config; --set changes it)', `${configOptions.join(', ')} with a SCENARIO`);
  if (a.pluginModule !== undefined && a.cluster === undefined) throw new InputError('--plugin-module', 0, 0, '', '--cluster SNAPSHOT with it (a SCENARIO loads its plugins from its own scheduler.pluginModules; --set changes them)', '--plugin-module with a SCENARIO');
  if (a.config === undefined && configOptions.length > 0) throw new InputError(configOptions[0] as string, 0, 0, '', '--config FILE with it (it says which part of that file holds the configuration)', `${configOptions.join(', ')} without --config`);
  const configFile = a.config === undefined ? undefined : singleFile('--config', a.config);
  const configWarnings: string[] = [];
  const snapshot = a.cluster !== undefined ? snapshotScenario(a.cluster) : null;
  // --plugin-module paths as ksim explain takes them (relative to the working directory).
  const modules = { pluginModules: (a.pluginModule ?? []).map((m) => ({ display: m, path: m })) };
  const scenario = snapshot !== null
    ? (configFile === undefined ? { ...snapshot, ...modules } : { ...snapshot, ...modules, scheduler: readConfigFile(configFile, { ...(a.configDocument !== undefined ? { configDocument: a.configDocument } : {}), ...(a.configKey !== undefined ? { configKey: a.configKey } : {}) }, configWarnings) })
    : loadScenario(a.scenario as string, { ...(a.set !== undefined ? { set: a.set } : {}), ...(a.seed !== undefined ? { seed: a.seed } : {}) });
  for (const w of groupWarnings([...scenario.warnings, ...configWarnings], false)) err(warningLine(w));
  const atUs = a.at === undefined ? undefined : parseAt(a.at);
  const plugins = await loadPluginModules(scenario.pluginModules);
  const warnings: string[] = [];
  const r = podCapacity(scenario, a.pod, { ...(atUs !== undefined ? { atUs } : {}), plugins, warnings, ...(snapshot !== null ? { configName: configFile ?? 'the default configuration' } : {}) });
  for (const w of warnings) err(warningLine(w));
  if (a.json === true) {
    out(`${JSON.stringify(capacityJson(r))}\n`);
    return;
  }
  const where = a.cluster !== undefined ? `the cluster of ${a.cluster.join(', ')}` : `${scenario.name} at ${r.timeS} s${atUs === undefined ? ' (its end)' : ''}`;
  out(renderPodCapacity(r, where));
}

/** The one file an option names (given twice, it is refused by name), as ksim explain's. */
function singleFile(option: string, v: string | readonly string[]): string {
  if (typeof v === 'string') return v;
  if (v.length !== 1) throw new InputError(option, 0, 0, '', `one file (${option} is the only one of its kind; --cluster is the option to repeat)`, v.map((x) => JSON.stringify(x)).join(', '));
  return v[0] as string;
}

function parseAt(v: string): number {
  let us = Number.NaN;
  try {
    us = parseDuration(v);
  } catch {
    // Said below.
  }
  // A negative time (-5m) parses as a duration but is before the run: it answered at time -300 s.
  if (!(us >= 0)) throw new InputError('--at', 0, 0, '', 'a Go-style duration from the start of the run, e.g. 90s, 15m, 1h30m', JSON.stringify(v));
  return us;
}

export function capacityJson(r: PodCapacity): Record<string, unknown> {
  return {
    pod: r.pod,
    profile: r.profile,
    time_s: r.timeS,
    total: r.total,
    method: r.method,
    reason: r.reason,
    pending_pods: r.pendingPods,
    cost_per_hour: r.costPerHour,
    limited_by: r.limitedBy,
    quota: r.quota === null ? null : { namespace: r.quota.namespace, name: r.quota.name, resources: r.quota.resources, reason: r.quota.reason },
    nodes: r.nodes.map((n) => ({ node: n.node, pool: n.pool, zone: n.zone, fits: n.fits, plugin: n.plugin, reason: n.reason })),
  };
}

export function renderPodCapacity(r: PodCapacity, where: string): string {
  const lines: string[] = [];
  const q = r.quota;
  const byQuota = q !== null && r.limitedBy === 'quota' ? `, limited by ResourceQuota ${q.namespace}/${q.name} (${q.resources.join(', ')})` : '';
  lines.push(`${r.total} more replica${r.total === 1 ? '' : 's'} of ${r.pod} fit in ${where} (profile ${r.profile})${byQuota}`);
  lines.push('');
  const header = ['node', 'pool', 'zone', 'fits', 'limit'];
  // A node that would take another copy: the quota is its limit.
  const free = byQuota === '' ? '-' : `ResourceQuota: exceeded quota: ${q?.name ?? ''}`;
  const rows = r.nodes.map((n) => [n.node, n.pool || '-', n.zone || '-', String(n.fits), n.plugin === '' ? (n.reason || free) : `${n.plugin}: ${n.reason}`]);
  rows.push(['total', '', '', String(r.total), r.reason === '' ? '' : r.reason]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const fmtRow = (cells: string[]) => cells.map((c, i) => (i === 3 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ').trimEnd();
  lines.push(fmtRow(header));
  for (const row of rows) lines.push(fmtRow(row));
  if (q !== null && r.limitedBy === 'nodes') lines.push('', `ResourceQuota ${q.namespace}/${q.name} (${q.resources.join(', ')}) would refuse the next copy too: ${q.reason}`);
  if (r.pendingPods > 0) lines.push('', `${r.pendingPods} pod${r.pendingPods === 1 ? ' was' : 's were'} pending then (not counted: they would take some of this room first).`);
  if (r.costPerHour !== null) lines.push('', `The cluster costs ${fmtCost(r.costPerHour)} per hour.`);
  return `${lines.join('\n')}\n`;
}

export const fmtCost = formatCost;

/** Registers `ksim capacity` on the command line (src/cli/main.ts). */
export function registerCapacityCommand<T>(y: Argv<T>, out: (s: string) => void, err: (s: string) => void, seedOption: (v: unknown) => number | undefined): Argv<T> {
  return y.command(
    'capacity [scenario]',
    'How many more replicas of a pod fit (--pod), or how many nodes of a pool the workload needs (--nodes-for)',
    (c) =>
      c
        .positional('scenario', { type: 'string', describe: 'Scenario YAML file (run to its end, or to --at, first)' })
        // nargs: 1 on the options whose wrong values may start with '-' ('-1 nodes', '-5m', '-1-3'):
        // yargs then takes the next word as the value, which our validation explains, where it
        // read it as flags ("Unknown argument: 1"). (--target's and --seed's start with a letter
        // or are a number, which yargs takes as a value anyway.)
        .option('pod', { type: 'string', describe: 'The Pod to fit copies of, or a Deployment, ReplicaSet, StatefulSet, DaemonSet, Job or CronJob (its pod template)' })
        .option('at', { type: 'string', nargs: 1, describe: 'Stop the scenario at this simulated time (Go duration, default its end)' })
        .option('cluster', { type: 'string', array: true, describe: 'Instead of a scenario: a cluster snapshot (kubectl get -A -o json output; files or directories, repeatable)' })
        .option('config', { type: 'string', array: true, describe: 'With --cluster: a KubeSchedulerConfiguration (or a ConfigMap holding one) to count with, as ksim explain takes it (e.g. a profile enabling Open-Gpu-Share, which counts GPU shares device by device); the profile the pod\'s schedulerName selects is used' })
        .option('config-document', { type: 'number', describe: 'Which document of a multi-document --config file holds the configuration (0 is the first)' })
        .option('config-key', { type: 'string', describe: 'The data key of a ConfigMap --config that holds the configuration' })
        .option('plugin-module', { type: 'string', array: true, describe: 'With --cluster: a JS module exporting out-of-tree plugins that --config\'s profiles enable, as ksim explain takes it (repeatable); a SCENARIO names its own in scheduler.pluginModules' })
        .option('nodes-for', { type: 'string', describe: 'The node pool to size: the fewest nodes of it for which the workload meets --target' })
        // No yargs default: yargs gives a bare --target its default, which ran missing=0 silently;
        // nodesForCommand defaults an absent one.
        // array + nargs 1: repeatable, one value each (a bare array option swallowed the next words).
        .option('target', { type: 'string', array: true, nargs: 1, describe: 'What a probe must meet: METRIC OP VALUE over summary.csv columns, e.g. pending=0 (pending = pods_unbound_end), sched_latency_p99_ms<5000, pods_waited_over_60s=0 (no pod waits over a minute to be bound); missing = the larger of pods_unbound_end and replicas_desired_end - replicas_ready_end, plus pods_deleted_unbound (pods deleted before they were ever placed); pool_cpu_requested_peak_ratio, pool_memory_requested_peak_ratio, pool_<resource>_requested_peak_ratio (e.g. pool_nvidia.com/gpu_requested_peak_ratio) = the sized pool\'s own peak (1 - its headroom). Repeatable: all must hold (default missing=0)' })
        .option('tolerate', { type: 'string', nargs: 1, describe: '\'zone-outage\' or \'N nodes\': the target must also hold when this fails at peak load' })
        .option('seeds', { type: 'string', nargs: 1, describe: 'Seeds of each probe, e.g. 1-5 or 1,4,9 (default the scenario\'s seed); every seed must meet the target' })
        .option('max-count', { type: 'number', describe: 'Largest count of the pool to try (default 100000)' })
        .option('workers', { type: 'number', describe: 'Probes run at once (default: the CPUs, at most 4)' })
        .option('output', { alias: 'o', type: 'string', describe: 'Folder for capacity.csv (--nodes-for; default results/<scenario name>-capacity/)' })
        .option('set', { type: 'string', array: true, describe: 'Override a scenario field: PATH=VALUE (repeatable)' })
        .option('seed', { type: 'string', describe: 'Seed replacing the scenario\'s seed' })
        .option('json', { type: 'boolean', default: false, describe: 'Print the answer as one JSON object' })
        .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress and no notes on stderr' })
        .option('progress', { type: 'boolean', describe: 'With --nodes-for: show the live progress line within the probes on stderr even when it is not a terminal (default: live on a terminal, a plain line every 10 s otherwise)' })
        .example('$0 capacity scenarios/quickstart.yaml --pod examples/explain/pod.yaml', 'How many more of this pod fit at the end of the quickstart')
        .example('$0 capacity --cluster cluster.json --pod pod.yaml', 'How many more fit in a real cluster now')
        .example('$0 capacity scenarios/quickstart.yaml --nodes-for general --tolerate zone-outage', 'The fewest general nodes that survive a zone outage at peak')
        .check((a) => {
          seedOption(a.seed);
          return true;
        }),
    async (a) =>
      capacityCommand(
        {
          scenario: a.scenario,
          pod: a.pod,
          at: a.at,
          cluster: a.cluster,
          config: a.config,
          configDocument: a['config-document'],
          configKey: a['config-key'],
          pluginModule: a['plugin-module'],
          nodesFor: a['nodes-for'],
          target: a.target,
          tolerate: a.tolerate,
          seeds: a.seeds,
          maxCount: a['max-count'],
          workers: a.workers,
          output: a.output,
          set: a.set,
          seed: seedOption(a.seed),
          json: a.json,
          quiet: a.quiet,
          progress: progressMode({ quiet: a.quiet, progress: a.progress, isTTY: process.stderr.isTTY === true }),
          columns: process.stderr.columns,
          // performance.now() counts from the process's start (as ksim run's startedMs).
          startedMs: 0,
        },
        out,
        err,
      ),
  );
}
