// One simulation of a scenario, start to end: builds the components on one event clock, runs
// it for the scenario's duration, and returns the output tables. Pure: no files, no wall clock.
import { InputError } from '../api/input-error.js';
import { checkSeed } from '../api/seed.js';
import { Simulation } from '../engine/simulation.js';
import { RandomStreams } from '../engine/random.js';
import { sampleNonNegativeInt, type Distribution } from '../engine/distributions.js';
import { toSeconds } from '../engine/time.js';
import { ClusterState } from '../cluster/cluster-state.js';
import { ApiServer } from '../controlplane/api-server.js';
import { DeploymentController } from '../controllers/deployment.js';
import { DisruptionController } from '../controllers/disruption.js';
import { ReplicaSetController } from '../controllers/replicaset.js';
import { DaemonSetController } from '../controllers/daemonset.js';
import { JobController } from '../controllers/job.js';
import { CronJobController } from '../controllers/cronjob.js';
import { DEFAULT_WALL_CLOCK, WallClock } from '../controllers/cron.js';
import { TtlAfterFinishedController } from '../controllers/ttl-after-finished.js';
import { longSetNameHint, StatefulSetController } from '../controllers/statefulset.js';
import { HorizontalPodAutoscalerController } from '../controllers/horizontal-pod-autoscaler.js';
import { GarbageCollector } from '../controllers/garbage-collector.js';
import { trackQuotaRecounts } from '../controlplane/resource-quota.js';
import { DEFAULT_TERMINATED_POD_GC_THRESHOLD, PodGarbageCollector } from '../controllers/podgc.js';
import { ObjectApi } from '../controlplane/object-api.js';
import { Kubelets } from '../kubelet/kubelet.js';
import { extendedResourcesOffered, groupOf, MetricsCollector, OTHER_GROUP, type Row, type TimeseriesGroups } from '../metrics/collector.js';
import { neverBoundWarnings, shortfall, withEphemeralStorageHint } from '../metrics/shortfall.js';
import { formatRow, rowValues, MemorySink, NULL_SINK, type RowSink, type Table } from '../metrics/csv-output.js';
import { columnNames, columnsOf, type ColumnDims, type OutputFileName, type SummaryValues, type TypedRow } from '../metrics/schema.js';
import { PodsCollector } from '../metrics/pods.js';
import { etcdCapacityWarnings, rateLimitWarnings } from '../metrics/bottlenecks.js';
import { JobsCollector } from '../metrics/jobs.js';
import { GpuAllocationCollector, type GpuSharingFacts } from '../metrics/gpu-allocation.js';
import { existingGpuDevices, GPU_INDEX_ANNOTATION, GPU_MILLI_RESOURCE, MILLI_PER_GPU, type GpuDevices } from '../cluster/gpu-devices.js';
import { pooledGpuWarning, sharesGpuByDevice } from '../scheduler/plugins/gpu-share/pooled-warning.js';
import { OpenGpuShare } from '../scheduler/plugins/gpu-share/names.js';
import { ZONE_LABEL, type NodeInfo } from '../cluster/node-info.js';
import { validateProfiles, validateSchedulerConfig } from '../scheduler/config/validate.js';
import type { ProfileConfig } from '../scheduler/framework/framework.js';
import type { PluginFactory } from '../scheduler/framework/interfaces.js';
import { inTreeRegistry } from '../scheduler/plugins/registry.js';
import { isFromPluginModule } from '../scheduler/plugin-modules.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { DEFAULT_QUEUE_OPTIONS } from '../scheduler/scheduling-queue.js';
import { WorkloadDriver } from '../workload/driver.js';
import { traceRunDurationUs } from '../workload/traces/trace-objects.js';
import type { TraceStats } from '../workload/traces/trace-replay.js';
import { blameSet, CLIENT_FIELDS, daemonSetNodeMatcher, daemonSetWithoutNodesWarning, type DaemonSetAwaitingNodes, type Scenario } from '../workload/scenario.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { InvariantChecker, pendingFeasibleBoundUs, type ProfileFacts } from '../invariants/checker.js';
import type { SimEvent } from '../engine/event-queue.js';
import type { AttemptRecord, PreemptionRecord } from '../scheduler/scheduler.js';
import { NodeLifecycleController } from '../controllers/node-lifecycle.js';
import { TaintEvictionController } from '../controllers/taint-eviction.js';
import { RecoveryTracker } from '../faults/recovery.js';
import { scheduleFaults } from '../faults/injector.js';
import { expandRandomFaults } from '../faults/spec.js';
import { AvailabilityTracker } from '../faults/availability.js';
import { nodeCouldHold } from '../invariants/feasibility.js';
import type { StartState } from '../controlplane/start-state.js';

export interface RunOptions {
  /** Record every engine event (events.csv). */
  readonly events?: boolean;
  /** Scheduling profiles replacing the scenario's (scheduler.config), e.g. with extra plugins. */
  readonly profiles?: readonly ProfileConfig[];
  /** Extra plugin factories (out-of-tree plugins), by name. */
  readonly plugins?: ReadonlyMap<string, PluginFactory>;
  /** Callbacks run as simulation events at the given times (benchmarks mark phases with them). */
  readonly marks?: readonly { readonly timeUs: number; readonly fn: () => void }[];
  /** Check the simulation's invariants (src/invariants/checker.ts) and throw InvariantViolation
   * when one breaks: true checks after every event, a number N every N events, false never.
   * Default: true when the environment variable KSIM_CHECK_INVARIANTS is "1" (npm test sets
   * it), else false. */
  readonly checkInvariants?: boolean | number;
  /** Where the output tables' rows go. Absent or 'memory': kept, formatted, in the result's
   * tables. 'none': dropped, the result's tables hold summary.csv alone (sweeps and capacity
   * probes: the summary does not come from the rows and is exact all the same). An object: the
   * rows of the files it names go to its sinks as they are made (the CLI streams placements.csv
   * and pods.csv to their files) and those files are left out of the result's tables; the other
   * files stay in memory. */
  readonly sinks?: 'memory' | 'none' | Readonly<Partial<Record<OutputFileName, RowSink>>>;
  /** Unknown fields in objects a trace brings during the run (ksim-events) stop it with an
   * InputError, as --strict refuses them in the scenario's own objects. */
  readonly strict?: boolean;
}

/** The sink of one output file under RunOptions.sinks, or null for in memory. */
function sinkFor(opts: RunOptions, file: OutputFileName): RowSink | null {
  const s = opts.sinks;
  if (s === undefined || s === 'memory') return null;
  if (s === 'none') return NULL_SINK;
  return s[file] ?? null;
}

/** The invariant check period RunOptions.checkInvariants asks for: 0 (off) or N ≥ 1. */
export function invariantCheckPeriod(opt: boolean | number | undefined): number {
  const v = opt ?? process.env['KSIM_CHECK_INVARIANTS'] === '1';
  if (v === false) return 0;
  if (v === true) return 1;
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`checkInvariants: expected true, false or a positive integer number of events, got ${String(v)}`);
  return v;
}

export interface RunResult {
  readonly scenario: Scenario;
  /** summary.csv's row for a program, a field per column: numbers as numbers (decimals rounded
   * as the file has them), empty cells as null. The file's own text is `tables[0]`. */
  readonly summary: SummaryValues;
  /** summary, placements, pods, jobs, timeseries, nodes, workloads, recovery (with faults),
   * events (when asked), in that order; those not kept in memory (RunOptions.sinks) left out. */
  readonly tables: readonly Table[];
  readonly eventsProcessed: number;
  /** What the user should know that the tables do not show (e.g. creates the API refused). */
  readonly warnings: readonly string[];
  /** Per trace entry: rows read, filtered, skipped, objects submitted (run.json). */
  readonly traces?: readonly TraceStats[];
  /** GPU sharing by device (a profile enables Open-Gpu-Share): what run.json's gpu_sharing says
   * (the shared resource, the typical pods of the fragmentation measure). */
  readonly gpuSharing?: GpuSharingFacts;
  /** Each node pool's highest requested ratio per resource — cpu, memory, then each extended
   * resource its nodes offer or its pods request (summary.csv's peaks per pool; null when the
   * pool never had Ready capacity for it), by pool name. */
  readonly poolPeaks: PoolPeakValues;
  /** The profiles (schedulerName) without Open-Gpu-Share at filter that scheduled pods asking
   * alibaba.com/gpu-milli, sorted: their shares were counted pooled per node (pooledGpuWarning,
   * one of `warnings` each). */
  readonly gpuPooledProfiles: readonly string[];
  /** The live pods left unbound at the end, by workload, with the pools whose nodes could hold
   * them (unplacedWorkloads): what `ksim capacity --nodes-for` names when more nodes of the
   * sized pool do not help. */
  readonly unplaced: readonly UnplacedWorkload[];
}

/** Pods of one workload left unbound at the end of a run. */
export interface UnplacedWorkload {
  /** "Deployment inference/llm-serve", "Job ml/train", "Pod default/p" (a bare pod). */
  readonly workload: string;
  readonly pods: number;
  /** The node pools an empty node of which could hold the first of them (nodeCouldHold: taints,
   * node affinity, allocatable), sorted; pools with no node in the run are not judged. */
  readonly pools: readonly string[];
}

/** At most this many workloads in RunResult.unplaced (most pods first). */
const MAX_UNPLACED = 10;

/** RunResult.unplaced: the live unbound pods by workload (a Deployment's through its
 * ReplicaSet), most pods first, with the pools whose nodes could hold them, judged on one node of
 * each pool in the run, as if empty (invariants/feasibility.ts nodeCouldHold). */
function unplacedWorkloads(cluster: ClusterState, availability: AvailabilityTracker): UnplacedWorkload[] {
  const groups = new Map<string, { first: PodInfo; pods: number }>();
  for (const p of cluster.pods.values()) {
    if (p.bound || p.terminal) continue;
    const w = availability.workloadOf(p);
    const key = w !== null ? `${w.kind} ${w.namespace}/${w.name}` : p.ownerKind !== '' ? `${p.ownerKind} ${p.namespace}/${p.ownerName}` : `Pod ${p.key}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, { first: p, pods: 1 });
    else g.pods++;
  }
  if (groups.size === 0) return [];
  const poolNodes = new Map<string, NodeInfo>();
  // A Ready node of each pool (a NotReady one carries the node lifecycle controller's taints,
  // which say nothing of the pool), else its first.
  for (const n of cluster.nodes) if (n.pool !== '' && (!poolNodes.has(n.pool) || (n.ready && !(poolNodes.get(n.pool) as NodeInfo).ready))) poolNodes.set(n.pool, n);
  const pools = [...poolNodes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return [...groups].sort(([ka, a], [kb, b]) => b.pods - a.pods || (ka < kb ? -1 : ka > kb ? 1 : 0)).slice(0, MAX_UNPLACED)
    .map(([workload, g]) => ({ workload, pods: g.pods, pools: pools.filter(([, n]) => nodeCouldHold(cluster, g.first, n)).map(([name]) => name) }));
}

export type PoolPeakValues = Readonly<Record<string, Readonly<{ cpu: number | null; memory: number | null } & Record<string, number | null>>>>;

/** summary.csv's columns (src/metrics/schema.ts). */
export const SUMMARY_COLUMNS = columnNames('summary.csv');

/** The extended resources of a run, sorted: every one a node of the scenario offers during the
 * run, joining pools included (extendedResourcesOffered). timeseries.csv's and pods.csv's
 * `<resource>` columns, known before the run (both files are written as it goes). */
export function extendedResourcesOfRun(scenario: Scenario): string[] {
  return extendedResourcesOffered(scenario.nodes.filter((n) => (n.joinAtUs ?? 0) <= scenario.durationUs).map((n) => n.node));
}

/** One simulation, built and ready: drive `sim` to `endUs` (all at once or in slices), then
 * call `finish()` for the results. */
export interface PreparedRun {
  readonly sim: Simulation;
  /** The state store (tests inspect it between events). */
  readonly cluster: ClusterState;
  /** API writes sent and not yet committed (creates among them hold their pods). */
  readonly apiWritesInFlight: () => number;
  readonly endUs: number;
  /** Warnings from checking the scheduler profiles (finish() returns them too, first). */
  readonly configWarnings: readonly string[];
  finish(): RunResult;
}

/** Runs a scenario to its end and returns the output tables. */
export function runScenario(scenario: Scenario, opts: RunOptions = {}): RunResult {
  const run = prepareRun(scenario, opts);
  run.sim.run(run.endUs);
  return run.finish();
}

/** Builds the scenario's scheduler configuration to check it (validateSchedulerConfig), before a
 * run, with an error in a value a --set gave named by the --set (blameSet). */
export function validateScenarioScheduler(scenario: Scenario, registry: ReadonlyMap<string, PluginFactory>, warnings: string[] = []): void {
  try {
    validateSchedulerConfig(scenario.scheduler, registry, scenario.file, warnings);
  } catch (e) {
    throw blameSet(e, scenario.overrides ?? []);
  }
}

/** Like runScenario, but yields to the event loop between slices of events, so signals are
 * handled; `shouldStop` is asked after each slice, the last one included (it also sees the
 * cluster, for progress reports), and ends the run early (no result). With `nowMs` a slice
 * also ends after SLICE_MS of wall time, so that a stop is heard within a fraction of a second
 * even when events are slow (a plugin that takes seconds a call): the clock is read after every
 * event while events are slow, and after up to 256 while they are quick. Where slices end
 * changes nothing in the run. */
export async function runScenarioInSlices(
  scenario: Scenario,
  opts: RunOptions,
  shouldStop: (sim: Simulation, run: PreparedRun) => boolean,
  sliceEvents = 20_000,
  nowMs?: () => number,
  /** Asked once the run is prepared (traces opened, the start state committed), after a turn of
   * the event loop and before the first event: true ends the run with no result. A signal that
   * came while the run was prepared (synchronous work: its handler runs only when the loop
   * turns) is heard here, before any event, rather than after the first slice. */
  stopBeforeStart?: () => boolean,
): Promise<RunResult | null> {
  const run = prepareRun(scenario, opts);
  if (stopBeforeStart !== undefined) {
    // Two turns: the loading ran inside a turn of the event loop whose poll phase (where a
    // signal is read) had passed; the first immediate runs in that same turn, the second after
    // the next poll phase.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (stopBeforeStart()) return null;
  }
  const pause = nowMs === undefined ? undefined : sliceTimer(nowMs);
  for (;;) {
    pause?.start();
    const done = run.sim.run(run.endUs, sliceEvents, pause?.check);
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (shouldStop(run.sim, run)) return null;
    if (done) return run.finish();
  }
}

/** Wall time a slice of events may take. */
export const SLICE_MS = 100;

/** The end of a slice by wall time: `check` (after each event) reads the clock every `stride`
 * events, the stride doubling while events are quick (under 1 ms since the last look) up to
 * 256, and back to 1 after a slow one. */
function sliceTimer(nowMs: () => number): { start(): void; check: () => boolean } {
  let deadline = 0;
  let last = 0;
  let stride = 1;
  let countdown = 1;
  return {
    start() {
      last = nowMs();
      deadline = last + SLICE_MS;
    },
    check() {
      if (--countdown > 0) return false;
      const t = nowMs();
      stride = t - last < 1 ? Math.min(stride * 2, 256) : 1;
      countdown = stride;
      last = t;
      return t >= deadline;
    },
  };
}

/** NamespaceLifecycle's NotFound (admission.ts namespaceLifecycleRefusal), and what to do. */
const NAMESPACE_NOT_FOUND = /^namespaces "[^"]*" not found$/;
const NAMESPACE_HINT = ' (the scenario declares Namespaces, so a create in one it does not declare is refused, as NamespaceLifecycle admission refuses it: add a Namespace manifest for it, arriving no later than what it holds)';

export function prepareRun(scenario: Scenario, opts: RunOptions = {}): PreparedRun {
  // A hand-built Scenario's seed is checked as a file's is (an InputError, not RandomStreams').
  checkSeed(scenario.seed, 'runScenario', 'scenario.seed');
  const tables = new TableSinks(opts);
  const eventSink = opts.events === true ? tables.sink('events.csv') : NULL_SINK;
  const checkEvery = invariantCheckPeriod(opts.checkInvariants);
  // The checker needs the cluster, which needs the clock: the hooks bind to it once it exists.
  let checker: InvariantChecker | null = null;
  const logEvent = opts.events === true
    ? (ev: SimEvent) => { eventSink.add({ time_s: toSeconds(ev.time), seq: ev.seq, kind: ev.kind, object: ev.subject, detail: '' }); }
    : null;
  const sim = new Simulation(checkEvery > 0
    ? {
        onEvent: (ev) => {
          checker?.beforeEvent(ev);
          logEvent?.(ev);
        },
        afterEvent: (ev) => checker?.afterEvent(ev),
      }
    : logEvent !== null ? { onEvent: logEvent } : {});
  const streams = new RandomStreams(scenario.seed);
  // Components start on an empty store and hear of the start state (committed below) as of
  // every later change: construction order does not matter.
  const cluster = new ClusterState();
  const api = new ApiServer(sim, cluster, scenario.controlPlane, streams.stream('api'));
  api.runsUntil(scenario.durationUs);
  // NamespaceLifecycle refuses creates in namespaces that do not exist once the scenario
  // declares Namespaces (a snapshot's are stored at the start; a workload entry's count from
  // the start whenever it arrives, so an object arriving before its Namespace is refused).
  if (scenario.workload.some((e) => e.manifests.some((m) => m.kind === 'Namespace'))) api.declareNamespaces();
  const ctx: RunContext = { scenario, opts, sim, streams, cluster, api };
  const offered = extendedResourcesOfRun(scenario);
  const groupBy = timeseriesGroups(scenario);
  const dims: ColumnDims = { resources: offered, ...(groupBy !== undefined ? { groups: groupBy.names, groupKey: groupBy.key } : {}) };
  const metrics = new MetricsCollector(sim, cluster, scenario.sampleIntervalUs, scenario.durationUs, offered, {
    placements: tables.sink('placements.csv'),
    timeseries: tables.sink('timeseries.csv', dims),
    ...(groupBy !== undefined ? { groupBy } : {}),
  });
  api.observe(metrics.watcher);
  metrics.watchApi(api);

  const registry = inTreeRegistry();
  for (const [name, f] of opts.plugins ?? []) registry.set(name, f);
  const module = scenario.pluginModules[0];
  if (module !== undefined && opts.plugins === undefined && opts.profiles === undefined) {
    // Importing a module is asynchronous and a run is not: a library caller loads them first
    // (the CLI does). Without this, the config's plugin names read as unregistered.
    const at = module.field;
    throw new InputError(at?.file ?? scenario.file, at?.line ?? 0, at?.column ?? 0, at?.path ?? 'scheduler.pluginModules', 'its plugins loaded before the run: runScenario(scenario, { plugins: await loadPluginModules(scenario.pluginModules) }), as ksim run does', `runScenario without opts.plugins (${scenario.pluginModules.length} module${scenario.pluginModules.length === 1 ? '' : 's'} named)`);
  }
  // Profiles from the scenario or from the caller are checked alike (InputError, not a TypeError
  // deep in the scheduler).
  /** What the profiles' check found to say (a weight that does nothing): with the run's warnings. */
  const configWarnings: string[] = [];
  if (opts.profiles === undefined) validateScenarioScheduler(scenario, registry, configWarnings);
  else validateProfiles(opts.profiles, registry, configWarnings);
  const profiles = opts.profiles ?? scenario.scheduler.profiles;
  const pods = new PodsCollector(sim, cluster, tables.sink('pods.csv', { resources: offered }), offered);
  api.observe(pods.watcher);
  const jobs = new JobsCollector(sim);
  api.observe(jobs.watcher);
  let gpu: GpuAllocationCollector | null = null;
  let daemonSets: DaemonSetController | null = null;
  // Profiles without Open-Gpu-Share at filter (their pods' milli-GPUs are counted pooled), and
  // those of them that scheduled a pod asking milli-GPUs (pooledGpuWarning).
  let poolingProfiles: ReadonlySet<string> = new Set();
  const gpuPooled = new Set<string>();
  // The recovery tracker, made below, times its replacements' unschedulable attempts.
  let recoveryAttempt: ((r: AttemptRecord) => void) | null = null;
  const observer = {
    attempt: (r: AttemptRecord) => {
      metrics.attempt(r);
      recoveryAttempt?.(r);
      if (poolingProfiles.size > 0 && poolingProfiles.has(r.pod.schedulerName) && r.pod.requests.getScalar(GPU_MILLI_RESOURCE) > 0) gpuPooled.add(r.pod.schedulerName);
      pods.attempt(r);
      gpu?.attempt(r);
      // Upstream: the failed attempt's PodScheduled condition write, heard by the DaemonSet controller.
      if (r.result !== 'bound') daemonSets?.schedulingFailed(r.pod);
    },
    preempted: (r: PreemptionRecord) => {
      metrics.preempted(r);
      pods.preempted(r.victim);
    },
  };
  const queueOptions = {
    ...DEFAULT_QUEUE_OPTIONS,
    initialBackoffUs: scenario.scheduler.podInitialBackoffUs,
    maxBackoffUs: scenario.scheduler.podMaxBackoffUs,
  };
  const scheduler = new Scheduler(sim, api.forClient('scheduler'), cluster, profiles, registry, streams.stream('scheduler'), observer, queueOptions);
  if (scenario.tieBreak !== undefined) scheduler.algorithm.tieBreak = scenario.tieBreak;
  poolingProfiles = new Set([...scheduler.frameworks].filter(([, f]) => !sharesGpuByDevice(f.filter.map((p) => p.name))).map(([name]) => name));
  // GPU sharing by device (a profile enables Open-Gpu-Share, which made the device index):
  // gpu_allocation.csv and the summary's GPU columns.
  const devices = [...scheduler.frameworks.values()].some((f) => f.plugins.has(OpenGpuShare)) ? existingGpuDevices(cluster)[0] : undefined;
  if (devices !== undefined) {
    gpu = new GpuAllocationCollector(cluster, devices, tables.sink('gpu_allocation.csv'));
    api.observe(gpu.watcher);
  }
  if (checkEvery > 0) {
    const pending = { place: (p: PodInfo) => scheduler.queuePlace(p), attempts: (p: PodInfo) => scheduler.queueAttempts(p), boundUs: pendingFeasibleBoundUs(queueOptions, scenario.sampleIntervalUs) };
    const userModulePlugins = new Set([...(opts.plugins ?? [])].filter(([, f]) => isFromPluginModule(f)).map(([n]) => n));
    checker = new InvariantChecker(sim, cluster, { every: checkEvery, profiles: profileFacts(scheduler, profiles), ...(tables.inMemory('timeseries.csv') ? { timeseries: tables.rows('timeseries.csv') } : {}), pending, userModulePlugins, scenarioNodes: new Set(scenario.nodes.map((n) => n.node.metadata?.name ?? '')), nodeLossHandled: (p) => cluster.isOrphan(p) });
    api.observe(checker.watcher);
    for (const f of scheduler.frameworks.values()) f.audit = checker.scheduling;
  }
  // Each controller of kube-controller-manager writes through a client of its own, so each has
  // its own token bucket of controlPlane.clients.controllerManager's QPS and burst: upstream's
  // ClientBuilder.ClientOrDie(name) builds a clientset per controller, and client-go's
  // NewForConfig gives every clientset a new token bucket (controller-manager's
  // pkg/controller/client_builder.go; client-go kubernetes/clientset.go). Names as upstream's.
  const controllerClient = (name: string) => api.forClient(`controller-manager/${name}`);
  const withObjects = (name: string): [ApiServer, ObjectApi] => {
    const c = controllerClient(name);
    return [c, new ObjectApi(c)];
  };
  const deployments = new DeploymentController(...withObjects('deployment-controller'));
  const clock = wallClockOf(scenario);
  new DisruptionController(sim, controllerClient('disruption-controller'), clock);
  {
    const [c, o] = withObjects('replicaset-controller');
    new ReplicaSetController(sim, c, streams.stream('names'), o);
  }
  {
    const [c, o] = withObjects('daemon-set-controller');
    daemonSets = new DaemonSetController(sim, c, streams.stream('names/daemonset'), o);
  }
  const [jobClient, jobObjects] = withObjects('job-controller');
  const jobController = new JobController(sim, jobClient, streams.stream('names/job'), jobObjects, clock);
  new CronJobController(sim, ...withObjects('cronjob-controller'), clock);
  new TtlAfterFinishedController(sim, ...withObjects('ttl-after-finished-controller'), clock);
  new StatefulSetController(sim, ...withObjects('statefulset-controller'));
  new HorizontalPodAutoscalerController(sim, ...withObjects('horizontal-pod-autoscaler'));
  new GarbageCollector(controllerClient('generic-garbage-collector'));
  new PodGarbageCollector(sim, controllerClient('pod-garbage-collector'), scenario.terminatedPodGCThreshold ?? DEFAULT_TERMINATED_POD_GC_THRESHOLD);
  // The resource quota controller's recounts, which ResourceQuota admission's usage follows.
  api.watch(trackQuotaRecounts(cluster, () => sim.now).watcher);

  const startupRng = streams.stream('startup');
  const imagePullRng = streams.stream('image-pull');
  const runDurations = new Map<string, { dist: Distribution | null; rng: ReturnType<RandomStreams['stream']> }>();
  for (const e of scenario.workload) runDurations.set(e.name, { dist: e.runDuration, rng: streams.stream(`run-duration/${e.name}`) });
  // Container failures: one stream per entry that has `failure:` (no other stream moves).
  const failures = new Map<string, { probability: number; rng: ReturnType<RandomStreams['stream']> }>();
  for (const e of scenario.workload) if (e.failure !== undefined) failures.set(e.name, { probability: e.failure.probability, rng: streams.stream(`failures/${e.name}`) });
  const kubelets = new Kubelets(sim, api, {
    startupLatencyUs: () => sampleNonNegativeInt(scenario.startupLatency, startupRng),
    runDurationUs: (p) => {
      const fromTrace = traceRunDurationUs(p.pod); // a trace row's own run time
      if (fromTrace !== undefined) return fromTrace;
      const rd = runDurations.get(p.workload);
      return rd?.dist == null ? null : sampleNonNegativeInt(rd.dist, rd.rng);
    },
    leaseRng: streams.stream('leases'),
    ...(scenario.imagePull !== undefined ? { imagePullUs: () => sampleNonNegativeInt(scenario.imagePull!, imagePullRng) } : {}),
    containerFails: (p) => {
      const f = failures.get(p.workload);
      return f !== undefined && f.rng.next() < f.probability;
    },
  }, cluster);
  // Node failure chain: leases → node lifecycle → taint eviction (src/faults/recovery.ts).
  const faults = expandRandomFaults(scenario.faults ?? [], streams.stream('faults'), scenario.durationUs);
  const availability = new AvailabilityTracker(sim, cluster);
  api.observe(availability.watcher);
  metrics.watchWarming(availability.warming);
  const recovery = new RecoveryTracker(faults, cluster, availability);
  api.observe(recovery.watcher);
  if ((scenario.faults ?? []).length > 0) recoveryAttempt = (r) => recovery.attempt(r.pod, r.timeUs, r.result === 'unschedulable', r.reason);
  const nodeLifecycle = new NodeLifecycleController(sim, controllerClient('node-controller'), cluster, scenario.nodeLifecycle, { nodeNotReady: (n, t) => recovery.nodeNotReady(n, t), nodeReady: (n) => recovery.nodeReady(n), leaseSeen: (n) => recovery.leaseSeen(n) });
  new TaintEvictionController(sim, controllerClient('taint-eviction-controller'), cluster, (r) => {
    metrics.evicted(r);
    pods.evicted(r.pod);
    recovery.evicted(r.pod, r.timeUs);
  });
  // A fault at or after the end never happens (the scenario reader warned of it): not even at
  // the end's instant, where its start would still run and count its nodes as failed.
  scheduleFaults(sim, faults.filter((f) => f.atUs < scenario.durationUs), kubelets, api, recovery);
  // A Terminating pod's end gets its own placements row.
  api.observe({ podDeleted: (p) => { if (p.deletionUs >= 0) metrics.terminated(sim.now, p, p.nodeName ?? ''); } });
  const start = startStateOf(scenario);
  const startWarnings = [...configWarnings, ...(checker === null ? api.commitStartState(start) : checker.duringStartState(() => api.commitStartState(start)))];
  const driver = new WorkloadDriver(sim, api, streams, scenario.durationUs, new ObjectApi(api), opts.strict === true);
  driver.start(scenario.workload);
  // Pools with joinAt: each node registers itself through the API (as its kubelet) at that time.
  for (const n of scenario.nodes) {
    const at = n.joinAtUs ?? 0;
    if (at === 0 || at > scenario.durationUs) continue;
    const name = n.node.metadata?.name ?? '';
    sim.scheduleAt(at, 'cluster.join', name, () => api.forClient(`kubelet/${name}`).addNode(n.node, n.pool));
  }

  const dsAwaiting = daemonSetsMatchedLater(scenario, api);
  for (const m of opts.marks ?? []) sim.scheduleAt(m.timeUs, 'run.mark', '', m.fn);
  const parts: RunParts = { ctx, tables, metrics, scheduler, checker, recovery, availability, kubelets, startWarnings, gpu, gpuPooled, deployments, nodeLifecycle };
  return { sim, cluster, apiWritesInFlight: () => api.inFlight, endUs: scenario.durationUs, configWarnings, finish: () => {
    pods.finish();
    jobs.finish(tables.sink('jobs.csv'), (ns, name) => jobController.status(ns, name));
    return withTraceStats(finishRun(parts), driver.traceStats(), [...driver.traceWarnings(), ...dsAwaiting()]);
  } };
}

/** The DaemonSets none of the scenario's nodes matched while a ksim-events trace may apply one
 * that does (Scenario.daemonSetsAwaitingNodes): each node that joins or changes during the run
 * is tried on those not matched yet; returns the warnings about those still not matched. */
function daemonSetsMatchedLater(scenario: Scenario, api: ApiServer): () => string[] {
  const awaiting = scenario.daemonSetsAwaitingNodes ?? [];
  if (awaiting.length === 0) return () => [];
  const left = new Map<DaemonSetAwaitingNodes, (n: NodeInfo) => boolean>();
  for (const d of awaiting) {
    const m = scenario.workload.find((e) => e.name === d.entry)?.manifests.find((x) => x.kind === 'DaemonSet' && x.metadata?.name === d.name && x.metadata?.namespace === d.namespace);
    if (m !== undefined) left.set(d, daemonSetNodeMatcher(m));
  }
  const tryNode = (n: NodeInfo) => {
    for (const [d, matches] of left) if (matches(n)) left.delete(d);
  };
  api.observe({ nodeAdded: tryNode, nodeUpdated: tryNode });
  return () => [...left.keys()].map(daemonSetWithoutNodesWarning);
}

/** Adds the trace entries' counts (and a warning per entry that skipped rows) to a result, and
 * the entries' warnings about their files. */
function withTraceStats(r: RunResult, traces: TraceStats[], fileWarnings: readonly string[]): RunResult {
  if (traces.length === 0) return r;
  const skipped = traces.filter((t) => t.rows_skipped > 0).map((t) => `trace ${t.entry}: ${t.rows_skipped} malformed row(s) skipped (onError: skip), first: ${t.first_skipped}`);
  const unknown = traces.filter((t) => t.unknown_fields > 0).map((t) => `trace ${t.entry}: ${t.unknown_fields} unknown field(s) in its objects, ignored, first: ${t.first_unknown_field}`);
  return { ...r, traces, warnings: [...r.warnings, ...skipped, ...unknown, ...fileWarnings] };
}

/** What the components of one run share. */
export interface RunContext {
  readonly scenario: Scenario;
  readonly opts: RunOptions;
  readonly sim: Simulation;
  /** The run's random streams, by name. */
  readonly streams: RandomStreams;
  /** The state store (components change it only through `api`). */
  readonly cluster: ClusterState;
  readonly api: ApiServer;
}

/** The components whose figures make the results. */
interface RunParts {
  readonly ctx: RunContext;
  /** Where the output tables' rows go. */
  readonly tables: TableSinks;
  readonly metrics: MetricsCollector;
  readonly scheduler: Scheduler;
  readonly checker: InvariantChecker | null;
  readonly recovery: RecoveryTracker;
  readonly availability: AvailabilityTracker;
  readonly kubelets: Kubelets;
  /** What the start state could not hold (ApiServer.commitStartState). */
  readonly startWarnings: readonly string[];
  /** Profiles without Open-Gpu-Share that scheduled pods asking milli-GPUs (RunResult.gpuPooledProfiles). */
  readonly gpuPooled: ReadonlySet<string>;
  /** GPU sharing by device: gpu_allocation.csv and the summary's GPU columns (null: not used). */
  readonly gpu: GpuAllocationCollector | null;
  /** The Deployment controller: its rollouts stalled by a refused ReplicaSet create. */
  readonly deployments: DeploymentController;
  /** The node lifecycle controller: zones whose NoExecute tainting was held at rate 0. */
  readonly nodeLifecycle: NodeLifecycleController;
}

/** The wall clock of a run: t = 0 is the scenario's cluster snapshot's own time, else
 * 2026-01-01T00:00:00Z. */
export function wallClockOf(scenario: Scenario): WallClock {
  return scenario.clockStartUs === undefined ? DEFAULT_WALL_CLOCK : new WallClock(scenario.clockStartUs);
}

/** The cluster at t = 0: the scenario's nodes without a later joinAt, and what its cluster
 * snapshot holds (cluster.file). */
export function startStateOf(scenario: Scenario): StartState {
  return {
    nodes: scenario.nodes.filter((n) => (n.joinAtUs ?? 0) === 0),
    objects: scenario.startObjects ?? [],
    pods: scenario.startPods ?? [],
    ...(scenario.startFinishedPods === undefined ? {} : { finishedPods: scenario.startFinishedPods }),
    ...(scenario.startPodPasts === undefined ? {} : { podPasts: scenario.startPodPasts }),
  };
}

/** What the invariant checker needs of each profile: its Filter plugins and plugin args. */
function profileFacts(scheduler: Scheduler, profiles: readonly ProfileConfig[]): ProfileFacts[] {
  return [...scheduler.frameworks.values()].map((f) => ({
    schedulerName: f.profileName,
    filters: new Set(f.filter.map((p) => p.name)),
    pluginArgs: profiles.find((p) => p.schedulerName === f.profileName)?.pluginArgs ?? new Map<string, unknown>(),
  }));
}

function finishRun(parts: RunParts): RunResult {
  const { ctx: { scenario, sim, cluster, api }, tables, metrics, scheduler, checker, recovery, availability, kubelets } = parts;
  // The end's timeseries row, after every event up to the end (before the checker's finish,
  // which checks it).
  metrics.finish();
  let unboundEnd = 0;
  for (const p of cluster.pods.values()) if (!p.bound) unboundEnd++;
  const stalledRollouts = parts.deployments.stalledRollouts();
  const short = shortfall({
    workloads: availability.sortedWorkloads(),
    cluster,
    workloadOf: (p) => availability.workloadOf(p),
    lastFailure: metrics.lastFailure,
    clients: scenario.controlPlane.clients,
    apiQueueDepth: api.inFlight,
    refusedCreates: metrics.refusedByWorkload,
    warming: availability.warming,
    stalledRollouts,
  });
  const typedSummary: TypedRow = {
    scenario: scenario.name,
    seed: scenario.seed,
    sim_duration_s: toSeconds(scenario.durationUs),
    pods_submitted: cluster.podsCreated,
    pods_bound: metrics.podsBound,
    pods_unbound_end: unboundEnd,
    replicas_desired_end: short.replicasDesired,
    replicas_ready_end: short.replicasReady,
    sched_attempts: scheduler.attempts,
    ...metrics.summaryValues(),
    events: sim.eventsProcessed,
    ...recovery.summaryValues(),
    container_restarts: kubelets.containerRestarts,
    ...metrics.peakValues(),
    cost_per_hour: costPerHourOf(scenario, cluster),
    pods_deleted_unbound: metrics.podsDeletedUnbound,
    ...metrics.waitValues(),
    ...parts.gpu?.summaryValues(),
  };
  const summaryColumns = columnsOf('summary.csv', { gpuSharing: parts.gpu !== null });
  const summary = formatRow(typedSummary, summaryColumns);
  checker?.finish(summary);
  const nodes = tables.sink('nodes.csv', { resources: cluster.extendedResourceNames() });
  for (const row of nodeRows(cluster)) nodes.add(row);
  const workloads = tables.sink('workloads.csv');
  for (const row of availability.typedRows(scenario.durationUs)) workloads.add(row);
  if ((scenario.faults ?? []).length > 0) {
    const rec = tables.sink('recovery.csv');
    for (const row of recovery.typedRows()) rec.add(row);
  }
  const gpuPooledProfiles = [...parts.gpuPooled].sort();
  const warnings = [
    ...parts.startWarnings,
    ...[...metrics.rejected.values()].map((r) => `${r.count} ${r.write}(s) refused by the API server, first ${r.first}: ${r.reason}${NAMESPACE_NOT_FOUND.test(r.reason) ? NAMESPACE_HINT : longSetNameHint(r.reason)}`),
    ...parts.deployments.stallWarnings(stalledRollouts),
    ...metrics.attemptErrors.warnings(),
    ...withEphemeralStorageHint([...short.warnings, ...neverBoundWarnings({ cluster, lastFailure: metrics.lastFailure, clients: scenario.controlPlane.clients, entries: scenario.workload.map((e) => ({ name: e.name, trace: e.trace !== undefined })), deleted: metrics.deletedUnbound })], scenario.nodes, scenario.nodePools ?? []),
    ...rateLimitWarnings(api.rateLimitHolds(), scenario.controlPlane.clients, CLIENT_FIELDS),
    ...etcdCapacityWarnings(api.etcd, api.etcd.config.maxWritesPerSecond),
    ...parts.nodeLifecycle.evictionHoldWarnings(scenario.durationUs),
    ...recovery.waitWarnings(scenario.durationUs),
    ...(parts.gpu === null ? [] : existingGpuDevices(cluster).flatMap(unevenGpuWarnings)),
    ...(parts.gpu === null ? [] : existingGpuDevices(cluster).flatMap(devicePlacementWarnings)),
    ...gpuPooledProfiles.map((p) => pooledGpuWarning(p, 'scenario')),
  ];
  // rowValues of summary.csv's columns: SummaryValues by construction.
  return { scenario, summary: rowValues(summary, summaryColumns) as SummaryValues, tables: [{ file: 'summary.csv', columns: summaryColumns.map((c) => c.name), rows: [summary] }, ...tables.inMemoryTables()], eventsProcessed: sim.eventsProcessed, warnings, poolPeaks: metrics.poolPeakValues(), gpuPooledProfiles, unplaced: unplacedWorkloads(cluster, availability), ...(parts.gpu === null ? {} : { gpuSharing: parts.gpu.facts() }) };
}

/** Σ costPerHour of the nodes in the cluster now; null (empty) when no pool has a cost. */
export function costPerHourOf(scenario: Scenario, cluster: ClusterState): number | null {
  let any = false;
  let sum = 0;
  for (const n of scenario.nodes) {
    if (n.costPerHour === undefined) continue;
    any = true;
    if (cluster.nodeByName.has(n.node.metadata?.name ?? '')) sum += n.costPerHour;
  }
  return any ? sum : null;
}

/** The files' sinks under RunOptions.sinks, and the in-memory tables in output order. */
class TableSinks {
  private readonly memory = new Map<OutputFileName, MemorySink>();

  constructor(private readonly opts: RunOptions) {}

  /** The sink of `file` (its templated columns expanded by `dims`); opened once per file. */
  sink(file: OutputFileName, dims: ColumnDims = {}): RowSink {
    const given = sinkFor(this.opts, file);
    if (given !== null) return given;
    let m = this.memory.get(file);
    if (m === undefined) this.memory.set(file, (m = new MemorySink(columnsOf(file, dims))));
    return m;
  }

  inMemory(file: OutputFileName): boolean {
    return sinkFor(this.opts, file) === null;
  }

  /** The in-memory rows of `file` (its sink must have been opened). */
  rows(file: OutputFileName): Row[] {
    return this.memory.get(file)?.rows ?? [];
  }

  inMemoryTables(): Table[] {
    const order: OutputFileName[] = ['placements.csv', 'pods.csv', 'jobs.csv', 'timeseries.csv', 'nodes.csv', 'workloads.csv', 'recovery.csv', 'gpu_allocation.csv', 'events.csv'];
    return order.flatMap((file) => {
      const m = this.memory.get(file);
      return m === undefined ? [] : [{ file, columns: m.columns.map((c) => c.name), rows: m.rows }];
    });
  }
}

/** timeseries.csv's groups (scenario metrics.groupBy): every pool or zone of the run's nodes,
 * joining ones included, sorted. */
function timeseriesGroups(scenario: Scenario): TimeseriesGroups | undefined {
  const key = scenario.groupBy;
  if (key === undefined) return undefined;
  const names = new Set<string>();
  for (const n of scenario.nodes) {
    if ((n.joinAtUs ?? 0) > scenario.durationUs) continue;
    names.add(groupOf({ pool: n.pool, zone: n.node.metadata?.labels?.[ZONE_LABEL] ?? '' }, key));
  }
  // A ksim-events trace may apply nodes (or relabel them) into groups the header, written before
  // the run, cannot know (a JSON Lines trace is streamed): they count in OTHER_GROUP, so the
  // groups still add up to the cluster's columns.
  const nodeEvents = scenario.workload.some((e) => e.trace?.format === 'ksim-events');
  return { key, names: [...[...names].sort(), ...(nodeEvents ? [OTHER_GROUP] : [])] };
}

/** nodes.csv's rows: every node at the end, in the store's order, with its bound pods (a pod
 * the scheduler assumed there whose binding had not committed is not on it yet). */
function nodeRows(cluster: ClusterState): TypedRow[] {
  const ext = cluster.extendedResourceNames();
  // Nodes deleted during the run first, in deletion order (a name that joined again has its
  // row of the end after them), with nothing on them.
  const deleted = cluster.removedNodes.map(({ node: n, atUs }) => {
    const row: Record<string, number | string | boolean | null> = {
      node: n.name,
      pool: n.pool,
      zone: n.zone,
      ready: false,
      deleted_s: toSeconds(atUs),
      pods: 0,
      cpu_requested_milli: 0,
      cpu_allocatable_milli: n.allocatable.milliCpu,
      memory_requested_bytes: 0,
      memory_allocatable_bytes: n.allocatable.memory,
    };
    for (const r of ext) {
      row[`${r}_requested`] = 0;
      row[`${r}_allocatable`] = n.allocatable.getScalar(r);
    }
    return row;
  });
  return [...deleted, ...cluster.nodes.map((n) => {
    let pods = n.pods.length;
    let cpu = n.requested.milliCpu;
    let memory = n.requested.memory;
    const unbound: PodInfo[] = [];
    for (const p of n.pods) {
      if (p.bound) continue;
      unbound.push(p);
      pods--;
      cpu -= p.requests.milliCpu;
      memory -= p.requests.memory;
    }
    const row: Record<string, number | string | boolean | null> = {
      node: n.name,
      pool: n.pool,
      zone: n.zone,
      ready: n.ready,
      deleted_s: null,
      pods,
      cpu_requested_milli: cpu,
      cpu_allocatable_milli: n.allocatable.milliCpu,
      memory_requested_bytes: memory,
      memory_allocatable_bytes: n.allocatable.memory,
    };
    for (const r of ext) {
      row[`${r}_requested`] = unbound.reduce((sum, p) => sum - p.requests.getScalar(r), n.requested.getScalar(r));
      row[`${r}_allocatable`] = n.allocatable.getScalar(r);
    }
    return row;
  })];
}

/** Bound pods (a cluster snapshot's) whose devices are not as their annotation says, or that
 * found no room (GpuDevices.placementNotes): each said, up to 20, then how many more. */
function devicePlacementWarnings(devices: GpuDevices): string[] {
  const notes = devices.placementNotes;
  const MAX = 20;
  return [...notes.slice(0, MAX), ...(notes.length > MAX ? [`${notes.length - MAX} more pod(s) whose GPU devices are not as their ${GPU_INDEX_ANNOTATION} annotation says (the first ${MAX} above)`] : [])];
}

/** Open-Gpu-Share's devices are 1000 milli-GPU each: a node offering another amount has a
 * remainder no pod can get through a device, though NodeResourcesFit counts it. */
function unevenGpuWarnings(devices: GpuDevices): string[] {
  const uneven = devices.unevenNodes;
  if (uneven.size === 0) return [];
  const [name, milli] = uneven.entries().next().value as [string, number];
  return [`${uneven.size} node(s) offer ${devices.resource} that is not a multiple of ${MILLI_PER_GPU} (first: ${name}, ${milli}): Open-Gpu-Share models whole devices of ${MILLI_PER_GPU}, so ${name} has ${Math.floor(milli / MILLI_PER_GPU)} and its remaining ${milli % MILLI_PER_GPU} is never allocated`];
}
