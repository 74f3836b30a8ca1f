// Every output file's columns, in order, with unit, type and a one-line meaning: the one place
// column lists live. Collectors emit typed rows (numbers in the column's unit, null for an empty
// field); the writer (csv-output.ts) formats them by these types. The README's "Outputs" tables
// are checked against this module by src/metrics/schema.test.ts.
//
// Columns whose name holds `<resource>` repeat once per extended resource, those holding
// `<group>` once per pool or zone (timeseries.csv with `metrics.groupBy`); columnsOf expands them.

/** How a column's values are written: `string` as is; `integer` as a plain number; `decimal`
 * with at most `digits` fractional digits and no trailing zeros (NaN written empty);
 * `boolean` as true/false. null is an empty field in every type. */
export type ColumnType = 'string' | 'integer' | 'decimal' | 'boolean';

export interface Column {
  readonly name: string;
  readonly type: ColumnType;
  /** s, ms, ratio, millicores, bytes, count, or '' (a name or label). */
  readonly unit: string;
  /** Fractional digits of a decimal column. */
  readonly digits?: number;
  readonly description: string;
  /** Written only in runs that share GPUs by device (a profile enables Open-Gpu-Share). */
  readonly gpuSharing?: true;
}

/** A cell of a typed row: null is an empty field. */
export type Cell = string | number | boolean | null;
export type TypedRow = Readonly<Record<string, Cell>>;

export type OutputFileName =
  | 'summary.csv' | 'placements.csv' | 'pods.csv' | 'jobs.csv' | 'timeseries.csv' | 'nodes.csv' | 'workloads.csv' | 'recovery.csv' | 'events.csv' | 'gpu_allocation.csv'
  | 'sweep.csv' | 'capacity.csv';

/** A column whose name and type the compiler knows (summary.csv's, for SummaryValues). */
type NamedColumn<N extends string, T extends ColumnType> = Column & { readonly name: N; readonly type: T };

const str = <N extends string>(name: N, description: string): NamedColumn<N, 'string'> => ({ name, type: 'string', unit: '', description });
const int = <N extends string>(name: N, unit: string, description: string): NamedColumn<N, 'integer'> => ({ name, type: 'integer', unit, description });
const bool = (name: string, description: string): Column => ({ name, type: 'boolean', unit: '', description });
/** Seconds with µs precision (6 digits). */
const sec = <N extends string>(name: N, description: string): NamedColumn<N, 'decimal'> => ({ name, type: 'decimal', unit: 's', digits: 6, description });
/** Milliseconds with µs precision (3 digits). */
const ms = <N extends string>(name: N, description: string): NamedColumn<N, 'decimal'> => ({ name, type: 'decimal', unit: 'ms', digits: 3, description });
const ratio = <N extends string>(name: N, description: string): NamedColumn<N, 'decimal'> => ({ name, type: 'decimal', unit: 'ratio', digits: 6, description });

const SUMMARY = [
  str('scenario', "the scenario's name"),
  int('seed', '', 'the seed used'),
  sec('sim_duration_s', 'simulated time'),
  int('pods_submitted', 'count', 'pods created (bare pods and pods created by controllers)'),
  int('pods_bound', 'count', 'pods the scheduler bound'),
  int('pods_unbound_end', 'count', 'live pods not bound to a node at the end'),
  int('replicas_desired_end', 'count', 'Σ desired at the end over the workloads of workloads.csv'),
  int('replicas_ready_end', 'count', 'Σ min(ready, desired) at the end over the same workloads'),
  int('sched_attempts', 'count', 'scheduling cycles run'),
  ms('sched_latency_p50_ms', 'pod creation → binding committed, median over bound pods'),
  ms('sched_latency_p99_ms', 'pod creation → binding committed, p99 over bound pods'),
  ms('startup_latency_p50_ms', 'pod creation → Running, median over started pods'),
  ms('startup_latency_p99_ms', 'pod creation → Running, p99 over started pods'),
  ratio('cpu_requested_mean_ratio', "time-weighted mean of timeseries.csv's cpu_requested_ratio"),
  ratio('memory_requested_mean_ratio', "time-weighted mean of timeseries.csv's memory_requested_ratio"),
  int('events', 'count', 'simulation events processed'),
  int('node_failures', 'count', 'nodes hit by injected faults'),
  int('pods_evicted', 'count', 'pods deleted by the taint-eviction controller'),
  sec('reschedule_p50_s', 'eviction → replacement bound, median'),
  sec('reschedule_p99_s', 'eviction → replacement bound, p99'),
  sec('time_to_full_availability_max_s', "longest time_to_full_availability_s of recovery.csv over the faults that affected a workload (empty when none did, or one's workloads were not whole by the end)"),
  ratio('available_min_ratio', "lowest min_available_ratio of recovery.csv over the faults (empty when none has one)"),
  int('container_restarts', 'count', 'in-place container restarts by the kubelets'),
  ratio('cpu_requested_peak_ratio', "highest cpu_requested_ratio at any instant of the run"),
  ratio('memory_requested_peak_ratio', "highest memory_requested_ratio at any instant of the run"),
  sec('requested_peak_s', 'first instant at which the larger of the two requested ratios was at its highest'),
  { name: 'cost_per_hour', type: 'decimal', unit: '', digits: 6, description: 'Σ costPerHour of the nodes in the cluster at the end (empty when no pool has a costPerHour)' } satisfies NamedColumn<'cost_per_hour', 'decimal'>,
  int('pods_deleted_unbound', 'count', 'pods without an owner deleted before they were ever bound (never placed)'),
  ms('sched_latency_max_ms', 'pod creation → binding committed, longest over bound pods'),
  int('pods_waited_over_60s', 'count', 'pods that waited unbound for more than 60 s: bound later than that after their creation, deleted unbound after that long, or still unbound at the end that long after it'),
];

/** Percent of cluster GPU capacity (or of idle GPU), 3 digits. */
const pct = <N extends string>(name: N, description: string): NamedColumn<N, 'decimal'> => ({ name, type: 'decimal', unit: 'percent', digits: 3, description });
/** Milli-GPU (1000 = one GPU). */
const milliGpu = (name: string, description: string): Column => ({ name, type: 'integer', unit: 'milli-GPU', description });
const gpuOnly = <C extends Column>(c: C): C => ({ ...c, gpuSharing: true });

/** summary.csv's GPU-sharing columns (gpu_allocation.csv binned as the FGD paper's analysis). */
const SUMMARY_GPU = [
  gpuOnly(pct('gpu_unallocated_at_100_pct', 'GPU not allocated, % of cluster GPU capacity, when the arrived GPU request is 100 % of it')),
  gpuOnly(pct('gpu_unallocated_at_130_pct', 'the same when the arrived GPU request is 130 % of capacity')),
  gpuOnly(pct('gpu_fragmentation_at_100_pct', 'fragmented % of the idle GPU when the arrived GPU request is 100 % of capacity')),
];

/** A column's value for a program (rowValues): text as text, numbers as numbers, an empty cell as
 * null. */
type ValueOf<C extends Column> = C['type'] extends 'string' ? string : C['type'] extends 'boolean' ? boolean : number | null;

/** summary.csv's column names, the GPU-sharing ones included. */
export type SummaryColumn = (typeof SUMMARY)[number]['name'] | (typeof SUMMARY_GPU)[number]['name'];

/** summary.csv's row for a program (the library's RunResult.summary, `ksim run --json`): one
 * field per column, typed by the column (`scenario` text, the others numbers or null for an empty
 * cell); the GPU-sharing columns only in runs that share GPUs by device. Looking a column up by
 * a name held in a string (`summary[c]` over a list of names) still type-checks, as when the
 * summary was a string-keyed record. */
export type SummaryValues =
  & { readonly [C in (typeof SUMMARY)[number] as C['name']]: ValueOf<C> }
  & { readonly [C in (typeof SUMMARY_GPU)[number] as C['name']]?: ValueOf<C> }
  & Readonly<Record<string, string | number | null>>;

const GPU_ALLOCATION: readonly Column[] = [
  sec('time_s', "when the pod's first scheduling attempt ended"),
  str('pod', "the pod's name"),
  str('namespace', "the pod's namespace"),
  str('result', 'bound, unschedulable or error'),
  str('node', 'the node it was placed on'),
  str('gpu_index', 'the GPU devices it holds, joined by -'),
  milliGpu('pod_gpu_milli', "the pod's GPU request"),
  milliGpu('arrived_gpu_milli', 'Σ GPU requests of the pods created so far'),
  milliGpu('allocated_gpu_milli', 'GPU held by pods on the devices'),
  milliGpu('idle_gpu_milli', 'GPU not held (capacity − allocated)'),
  milliGpu('fragmented_gpu_milli', 'idle GPU the typical pods cannot use (FGD measure)'),
  milliGpu('capacity_gpu_milli', 'Σ GPU devices × 1000 of the GPU nodes'),
  pct('arrived_pct', 'arrived / capacity × 100'),
  int('arrived_pct_bin', 'percent', 'arrived_pct rounded half to even (the bins of the summary)'),
  pct('allocated_pct', 'allocated / capacity × 100'),
  pct('fragmented_pct', 'fragmented / idle × 100'),
  milliGpu('gpu_pods_fragmented_gpu_milli', 'idle GPU the typical GPU-requesting pods cannot use (the FGD measure without the CPU-only shapes)'),
  pct('gpu_pods_fragmented_pct', 'gpu_pods_fragmented / idle × 100'),
];

const PLACEMENTS: readonly Column[] = [
  sec('time_s', 'when the outcome happened'),
  str('pod', "the pod's name"),
  str('namespace', "the pod's namespace"),
  str('owner_kind', "the kind of the pod's controlling owner"),
  str('owner', "the name of the pod's controlling owner"),
  int('attempt', 'count', "the pod's scheduling attempt number, from 1"),
  str('result', 'bound, unschedulable, error, preempted, evicted or terminated'),
  str('node', 'the node bound to (or the pod was on)'),
  str('reason', "for failures, kube-scheduler's message; for deletions, why"),
  ms('queue_wait_ms', 'time waited in the scheduling queue before this attempt'),
  ms('cycle_ms', 'simulated duration of the scheduling cycle'),
  ms('bind_ms', 'duration of the binding write'),
];

const PODS: readonly Column[] = [
  str('namespace', "the pod's namespace"),
  str('name', "the pod's name"),
  str('owner_kind', "the kind of the pod's controlling owner"),
  str('owner', "the name of the pod's controlling owner"),
  str('workload', 'the scenario workload entry that made it'),
  sec('created_s', 'pod created (create committed)'),
  sec('first_attempt_s', 'its first scheduling attempt ended'),
  sec('bound_s', 'binding committed'),
  sec('started_s', 'Running reported'),
  sec('finished_s', 'Succeeded or Failed reported'),
  sec('deletion_requested_s', 'its deletion requested (Terminating from then while bound and not finished; = deleted_s when deleted at once)'),
  sec('deleted_s', 'gone from the store'),
  str('node', 'the node it was bound to'),
  str('zone', "that node's zone"),
  str('phase', 'its last phase'),
  int('attempts', 'count', 'scheduling attempts'),
  int('restarts', 'count', 'in-place container restarts'),
  bool('evicted', 'deleted by the taint-eviction controller'),
  bool('preempted', 'deleted by the scheduler to make room (preemption)'),
  int('cpu_requested_milli', 'millicores', 'its CPU request as the scheduler counts it (containers, init containers, overhead)'),
  int('memory_requested_bytes', 'bytes', 'its memory request, counted the same way'),
  int('<resource>_requested', 'count', 'its request of each extended resource of the run, as nodes.csv counts it'),
];

const JOBS: readonly Column[] = [
  str('namespace', "the Job's namespace"),
  str('name', "the Job's name"),
  str('workload', 'the scenario workload entry that made it'),
  sec('created_s', 'Job created (create committed)'),
  sec('started_s', 'its first pod created'),
  sec('finished_s', 'the status write marking it Complete or Failed committed'),
  int('succeeded', 'count', 'pods that succeeded'),
  int('failed', 'count', 'pods that failed'),
  str('condition', 'Complete, Failed, Running (not finished at the end) or Deleted'),
  str('reason', "the finished condition's reason"),
];

const TIMESERIES_HEAD: readonly Column[] = [
  sec('time_s', "the sample's time"),
  int('nodes_ready', 'count', 'nodes Ready'),
  int('nodes_not_ready', 'count', 'nodes not Ready'),
  int('pods_pending', 'count', 'pods in phase Pending'),
  int('pods_running', 'count', 'pods in phase Running'),
  int('pods_available', 'count', "pods Running on a Ready node, not Terminating, Ready for their owner's minReadySeconds"),
  int('pods_succeeded', 'count', 'pods ended Succeeded since the start (cumulative)'),
  int('pods_failed', 'count', 'pods ended Failed since the start (cumulative)'),
  int('pods_terminating', 'count', 'pods being deleted and not gone yet'),
  ratio('cpu_requested_ratio', 'Σ CPU requests of the pods bound to Ready nodes / Σ their allocatable CPU'),
  ratio('memory_requested_ratio', 'Σ memory requests on Ready nodes / Σ their allocatable memory'),
  ratio('<resource>_requested_ratio', 'the same for each extended resource'),
  int('cpu_allocatable_not_ready_milli', 'millicores', 'allocatable CPU of the NotReady nodes'),
  int('memory_allocatable_not_ready_bytes', 'bytes', 'allocatable memory of the NotReady nodes'),
  ms('etcd_write_p99_ms', "p99 of etcd's commit latency since the previous row"),
  int('api_queue_depth', 'count', 'writes sent and not yet committed'),
];

/** Per pool or zone (metrics.groupBy), after the cluster's columns. */
const TIMESERIES_GROUP: readonly Column[] = [
  int('<group>:nodes_ready', 'count', "the group's Ready nodes"),
  int('<group>:nodes_not_ready', 'count', "the group's nodes not Ready"),
  int('<group>:pods_running', 'count', "pods Running on the group's nodes"),
  int('<group>:pods_available', 'count', "pods available (as pods_available) on the group's Ready nodes"),
  ratio('<group>:cpu_requested_ratio', "cpu_requested_ratio over the group's Ready nodes"),
  ratio('<group>:memory_requested_ratio', "memory_requested_ratio over the group's Ready nodes"),
  ratio('<group>:<resource>_requested_ratio', "each extended resource's ratio over the group's Ready nodes"),
];

const NODES: readonly Column[] = [
  str('node', "the node's name"),
  str('pool', 'its node pool (empty for explicit nodes)'),
  str('zone', 'its zone (label topology.kubernetes.io/zone)'),
  bool('ready', 'Ready at the end (false for a deleted node)'),
  sec('deleted_s', 'its Node object was deleted (a ksim-events delete; empty: in the cluster at the end)'),
  int('pods', 'count', 'pods bound to it and not finished at the end (0 for a deleted node: its pods run nowhere)'),
  int('cpu_requested_milli', 'millicores', 'Σ CPU requests of its pods'),
  int('cpu_allocatable_milli', 'millicores', 'allocatable CPU'),
  int('memory_requested_bytes', 'bytes', 'Σ memory requests of its pods'),
  int('memory_allocatable_bytes', 'bytes', 'allocatable memory'),
  int('<resource>_requested', 'count', 'Σ requests of each extended resource'),
  int('<resource>_allocatable', 'count', 'allocatable of each extended resource'),
];

const WORKLOADS: readonly Column[] = [
  str('kind', 'Deployment, ReplicaSet or StatefulSet'),
  str('namespace', "the workload's namespace"),
  str('name', "the workload's name"),
  int('desired', 'count', 'spec.replicas at the end'),
  int('ready', 'count', "pods available at the end: Ready for the workload's minReadySeconds"),
  ratio('available_min_ratio', 'lowest min(available, target) / target'),
  sec('unavailable_s', 'total time with available < target'),
];

const RECOVERY: readonly Column[] = [
  str('fault_id', 'f1, f2, … in scenario order'),
  str('kind', "the fault's kind"),
  str('target', 'node names joined by ;, pool=<name>, zone=<name> or etcd'),
  sec('start_s', 'the fault started'),
  sec('end_s', 'the fault ended (empty: forever)'),
  sec('detected_s', 'first NotReady update of a hit node'),
  sec('first_eviction_s', 'first eviction of an affected pod'),
  int('pods_affected', 'count', 'pods bound to the hit nodes and not finished at the start, or bound to them before the end'),
  int('pods_rescheduled', 'count', 'affected pods evicted whose replacement was bound'),
  int('pods_lost', 'count', 'affected pods evicted with no replacement bound by the end'),
  sec('reschedule_p50_s', 'eviction → replacement bound, median'),
  sec('reschedule_p99_s', 'eviction → replacement bound, p99'),
  sec('reschedule_max_s', 'eviction → replacement bound, longest'),
  ratio('min_available_ratio', 'lowest Σ min(available, target) / Σ target over the affected workloads'),
  sec('time_to_full_availability_s', 'from the start until every affected workload is whole again'),
];

const EVENTS: readonly Column[] = [
  sec('time_s', "the event's time"),
  int('seq', '', "the engine's insertion sequence"),
  str('kind', "the event's kind"),
  str('object', 'the object it concerns'),
  str('detail', 'reserved, empty'),
];

/** A sweep's table (ksim sweep, ksim merge): one row per run. `<matrix>` repeats once per
 * --matrix PATH (named by the path); `<summary>` stands for summary.csv's columns but seed. */
const SWEEP: readonly Column[] = [
  str('run_id', 'r001, r002, ...: the run\'s folder, in run-list order'),
  int('seed', '', 'the seed of the run'),
  str('<matrix>', 'the value of each --matrix PATH for this run'),
  str('status', 'ok, error (the run threw: see <run_id>/error.txt) or crashed (its worker died twice)'),
  str('<summary>', "summary.csv's columns but seed, empty when the run failed"),
];

/** `ksim capacity --nodes-for`: one row per probe (a count of the pool), by count. */
const CAPACITY: readonly Column[] = [
  str('pool', 'the node pool sized'),
  int('count', 'count', 'nodes of the pool in this probe'),
  bool('met', 'every run of the probe met the target'),
  int('round', 'count', 'the search round the probe ran in (probes of a round run in parallel)'),
  str('target', 'the target, as METRIC OP VALUE over summary.csv (e.g. missing=0, pods_unbound_end=0)'),
  { name: 'target_value', type: 'decimal', unit: '', digits: 6, description: "the target metric's worst value over the probe's runs (empty: undefined, e.g. no pod bound)" },
  int('runs', 'count', 'simulations in the probe: one per seed, and per seed one per tolerated failure variant'),
  int('runs_met', 'count', 'those that met the target'),
  str('worst_run', 'the run that gave target_value: seed, and the failure injected'),
  ratio('cpu_headroom_ratio', "1 − the sized pool's highest cpu requested ratio (over its Ready nodes) in the runs without the tolerated failure"),
  ratio('memory_headroom_ratio', "1 − the sized pool's highest memory requested ratio (over its Ready nodes) in the runs without the tolerated failure"),
  { name: 'cost_per_hour', type: 'decimal', unit: '', digits: 6, description: 'Σ costPerHour of the cluster with this count (empty when no pool has a costPerHour)' },
  // After the older columns, which keep their places.
  ratio('<resource>_headroom_ratio', "the same for each extended resource the sized pool's nodes offer or its pods request (nvidia.com/gpu, alibaba.com/gpu-milli, ...)"),
  // With several --target options only (one: target_value says it all), after the above.
  { name: '<target>_target_value', type: 'decimal', unit: '', digits: 6, description: "with several targets, each target metric's worst value over the probe's runs (empty: undefined)" },
];

/** Every output file's columns, templates unexpanded, in the order the files are listed. */
export const SCHEMAS: Readonly<Record<OutputFileName, readonly Column[]>> = {
  'summary.csv': [...SUMMARY, ...SUMMARY_GPU],
  'placements.csv': PLACEMENTS,
  'pods.csv': PODS,
  'jobs.csv': JOBS,
  'timeseries.csv': [...TIMESERIES_HEAD, ...TIMESERIES_GROUP],
  'nodes.csv': NODES,
  'workloads.csv': WORKLOADS,
  'recovery.csv': RECOVERY,
  'events.csv': EVENTS,
  'gpu_allocation.csv': GPU_ALLOCATION,
  'sweep.csv': SWEEP,
  'capacity.csv': CAPACITY,
};

/** What the templated columns expand to. */
export interface ColumnDims {
  /** Extended resources, sorted. */
  readonly resources?: readonly string[];
  /** Pool or zone names (timeseries.csv with metrics.groupBy), sorted; the group column prefix is
   * `<groupKey>=<name>`. */
  readonly groups?: readonly string[];
  readonly groupKey?: string;
  /** capacity.csv's target metrics, in the order of the --target options (only with several). */
  readonly targets?: readonly string[];
  /** sweep.csv's --matrix paths, in order. */
  readonly matrix?: readonly string[];
  /** The run (a sweep: some run) shares GPUs by device: the gpuSharing columns are written. */
  readonly gpuSharing?: boolean;
}

/** A file's columns with `<resource>` and `<group>` expanded (group columns only when `dims.groups`
 * is given). */
export function columnsOf(file: OutputFileName, dims: ColumnDims = {}): Column[] {
  const resources = dims.resources ?? [];
  // Consecutive `<resource>` columns expand resource by resource (nodes.csv: a_requested,
  // a_allocatable, b_requested, ...).
  const expandResource = (cols: readonly Column[]): Column[] => {
    const out: Column[] = [];
    for (let i = 0; i < cols.length; ) {
      let j = i;
      while (j < cols.length && cols[j]!.name.includes('<resource>')) j++;
      if (j === i) {
        out.push(cols[i++]!);
        continue;
      }
      const run = cols.slice(i, j);
      for (const r of resources) for (const c of run) out.push({ ...c, name: c.name.replace('<resource>', r) });
      i = j;
    }
    return out;
  };
  const written = (cols: readonly Column[]) => (dims.gpuSharing === true ? cols : cols.filter((c) => c.gpuSharing !== true));
  if (file === 'sweep.csv') {
    return SWEEP.flatMap((c) =>
      c.name === '<matrix>' ? (dims.matrix ?? []).map((m) => ({ ...c, name: m }))
      : c.name === '<summary>' ? written(SCHEMAS['summary.csv']).filter((s) => s.name !== 'seed')
      : [c]);
  }
  if (file === 'capacity.csv') return expandResource(CAPACITY).flatMap((c) => (c.name.includes('<target>') ? (dims.targets ?? []).map((t) => ({ ...c, name: c.name.replace('<target>', t) })) : [c]));
  if (file !== 'timeseries.csv') return expandResource(written(SCHEMAS[file]));
  const head = expandResource(TIMESERIES_HEAD);
  const groups = dims.groups ?? [];
  const perGroup = expandResource(TIMESERIES_GROUP);
  return [...head, ...groups.flatMap((g) => perGroup.map((c) => ({ ...c, name: c.name.replace('<group>', `${dims.groupKey ?? 'group'}=${g}`) })))];
}

/** The column names of a file (expanded as columnsOf). */
export function columnNames(file: OutputFileName, dims: ColumnDims = {}): string[] {
  return columnsOf(file, dims).map((c) => c.name);
}
