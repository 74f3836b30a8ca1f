// Collects what a run produces: one row per scheduling outcome, periodic samples of the
// cluster, latencies, and the time-weighted requested ratios. Holds rows as plain values (no
// reference to a pod: a finished pod's objects are freed once it leaves the store), or hands the
// placements rows to a sink as they are made (RowSink: the CLI streams placements.csv to its
// file), so memory follows the live pods, plus 8 bytes of latencies per pod created.
//
// Definitions (README "Outputs"):
// - A pod is available when it is Running on a Ready node (timeseries pods_available), Ready
//   itself (a snapshot's pod Running but not Ready stays not ready: isPodReady), not Terminating
//   (as workloads.csv and the controllers count it: isPodAvailable), and Ready for its owner's
//   minReadySeconds (upstream podutil.IsPodAvailable, pkg/api/v1/pod/util.go): the
//   AvailabilityTracker's warming pods (src/faults/availability.ts) are not yet. A sample
//   subtracts those, so it reads only them, not every pod.
// - A requested ratio (cpu, memory, each extended resource) is Σ requests of the pods placed on
//   Ready nodes / Σ allocatable of the Ready nodes: the share of the capacity that works, so an
//   outage shows as a rise rather than as a fall; empty when no Ready node offers the resource.
//   The summary's *_requested_mean_ratio is its time-weighted mean over the run (over the time
//   it is defined).
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import { toMillis, toSeconds } from '../engine/time.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import { isPodReady, type PodInfo } from '../cluster/pod-info.js';
import { hasResourceColumns, parseResourceList } from '../cluster/resources.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import { controllerRef, objectKey } from '../cluster/workload-object.js';
import type { AttemptRecord, PreemptionRecord, SchedulerObserver } from '../scheduler/scheduler.js';
import { fmt, TimeWeightedMean } from './stats.js';
import { MicrosSamples } from './samples.js';
import { AttemptErrors } from './attempt-errors.js';
import { neverBoundClass, neverBoundTallyOf, type NeverBoundClass, type NeverBoundTally } from './shortfall.js';
import { PoolPeaks, ratioOf, RequestedPeaks, type PoolPeakValues } from './pool-peaks.js';

export { RequestedPeaks } from './pool-peaks.js';
import { formatRow, MemorySink, type RowSink } from './csv-output.js';
import { columnNames, columnsOf, type Cell, type ColumnDims } from './schema.js';

/** An unbound pod's latest failed scheduling attempt: unschedulable, or ended in an error (a
 * plugin's, or the API's), and its reason. */
export interface FailedAttempt {
  readonly error: boolean;
  readonly reason: string;
}

/** A row as written (formatted: src/metrics/csv-output.ts formatRow). */
export type Row = Record<string, string | number>;

/** The summary.csv columns the collector computes, in SUMMARY_COLUMNS order. */
export const LATENCY_AND_RATIO_COLUMNS = [
  'sched_latency_p50_ms', 'sched_latency_p99_ms', 'startup_latency_p50_ms', 'startup_latency_p99_ms',
  'cpu_requested_mean_ratio', 'memory_requested_mean_ratio',
] as const;

/** summary.csv's pods_waited_over_60s counts pods that waited unbound for longer than this: well
 * above what the scheduler's own queue costs a pod that fits (kube-scheduler's backoff tops out
 * at --pod-max-backoff 10 s; its unschedulable pods are retried within 5 min,
 * DefaultPodMaxInUnschedulablePodsDuration, pkg/scheduler/backend/queue/scheduling_queue.go),
 * so a pod waiting longer mostly waited for room: the capacity a run's end does not show. */
export const WAITED_LONG_US = 60_000_000;

/** The summary.csv columns of how long pods waited to be bound (MetricsCollector.waitValues). */
export const WAIT_COLUMNS = ['sched_latency_max_ms', 'pods_waited_over_60s'] as const;

/** The summary.csv columns of the requested ratios' peaks (RequestedPeaks). */
export const PEAK_COLUMNS = ['cpu_requested_peak_ratio', 'memory_requested_peak_ratio', 'requested_peak_s'] as const;

/** The extended resources any of `nodes` offers (allocatable, else capacity), sorted, without
 * hugepages no node has any of (hasResourceColumns): the
 * timeseries.csv columns, known before the run so that a pool joining later has its column. */
export function extendedResourcesOffered(nodes: readonly Node[]): string[] {
  const totals = new Map<string, number>();
  for (const n of nodes) {
    const r = parseResourceList((n.status?.allocatable ?? n.status?.capacity) as Record<string, string> | undefined, 'status.allocatable');
    for (const name of r.scalarNames()) totals.set(name, (totals.get(name) ?? 0) + r.getScalar(name));
  }
  return [...totals].filter(([name, total]) => hasResourceColumns(name, total)).map(([name]) => name).sort();
}

/** timeseries.csv broken down by node pool or zone (scenario `metrics.groupBy`). */
export interface TimeseriesGroups {
  readonly key: 'pool' | 'zone';
  /** Every pool or zone of the run's nodes, joining ones included, sorted; NO_GROUP for nodes
   * without one; then OTHER_GROUP when a ksim-events trace may add nodes of other groups. */
  readonly names: readonly string[];
}

/** The group name of nodes with no pool (explicit nodes) or no zone label. */
export const NO_GROUP = '(none)';
/** The group of the nodes whose pool (or zone) is none of the header's groups: nodes a ksim-events
 * trace adds (or relabels) during the run, which the header, written before it, cannot name.
 * Present (last) only in runs with such a trace. */
export const OTHER_GROUP = '(other)';

/** Where the collector's rows go: a sink per file, in memory when absent. */
export interface CollectorOutputs {
  readonly placements?: RowSink;
  readonly timeseries?: RowSink;
  readonly groupBy?: TimeseriesGroups;
}

export class MetricsCollector implements SchedulerObserver {
  /** placements.csv rows (formatted), when they are kept in memory; else empty. */
  readonly placements: Row[] = [];
  /** timeseries.csv rows (formatted), when they are kept in memory; else empty. */
  readonly timeseries: Row[] = [];
  /** Creation → binding committed, µs, per bound pod. */
  readonly schedulingLatencyUs = new MicrosSamples();
  /** Creation → Running, µs, per started pod. */
  readonly startupLatencyUs = new MicrosSamples();
  private readonly placementSink: RowSink;
  private readonly timeseriesSink: RowSink;
  private readonly groupBy: TimeseriesGroups | null;
  podsBound = 0;
  /** Pods without an owner deleted before their binding ever committed (summary.csv's
   * pods_deleted_unbound): a trace's deletion time or the FGD replay's deadline came while they
   * waited, so they were never placed. A controller's pod deleted unbound is the controller's
   * (a ReplicaSet scales down its unscheduled pods first; upstream getPodsToDelete), and its
   * shortfall is counted by replicas_desired_end − replicas_ready_end. */
  podsDeletedUnbound = 0;
  /** Pods bound, or deleted unbound, after waiting unbound for more than WAITED_LONG_US (with
   * those still unbound at the end, summary.csv's pods_waited_over_60s: waitValues). */
  podsWaitedLong = 0;
  /** The latest failed attempt's reason of each pod not bound (yet), for the end-of-run
   * diagnosis of workloads short of their replicas. */
  readonly lastFailure = new Map<PodInfo, FailedAttempt>();
  /** Attempts ended and erred, for the warning of a run where every one erred. */
  readonly attemptErrors = new AttemptErrors();
  private readonly cpuRatio: TimeWeightedMean;
  private readonly memRatio: TimeWeightedMean;
  /** Highest requested ratios, and when the load (the larger of the two) first peaked. */
  private readonly peaks = new RequestedPeaks();
  /** The same peaks per node pool (ksim capacity --nodes-for's headroom). */
  private readonly poolPeaks = new PoolPeaks();
  /** Nodes not Ready now: the Ready totals are the cluster's totals minus theirs. */
  private readonly notReady = new Set<NodeInfo>();
  /** The NotReady nodes' CPU and memory, requested and allocatable, kept as nodes flip and pods
   * come and go on them: the ratios are worked out on every placement, and summing over the
   * NotReady nodes each time made a large outage quadratic (65,000 nodes with late leases: 42 %
   * of a run's CPU). Integers (milli-CPU, bytes), so the sums are exact in any order. */
  private readonly notReadySums = { cpuRequested: 0, cpuAllocatable: 0, memoryRequested: 0, memoryAllocatable: 0 };
  /** Snapshot pods Running but not Ready (isPodReady): not available wherever they run. */
  private readonly notReadyPods = new Set<PodInfo>();
  /** Pods being deleted (Terminating): not available, though they may still be Running. */
  private readonly terminating = new Set<PodInfo>();
  /** Pods Ready, on a Ready node and not Terminating, but not Ready for their owner's
   * minReadySeconds yet, with when they are (AvailabilityTracker.warming); empty without
   * minReadySeconds. */
  private warming: ReadonlyMap<PodInfo, number> = new Map();
  /** Pods the scheduler assumed onto a node whose binding has not committed yet: on its books
   * (NodeInfo.requested), not on the node as the API server, the kubelet and pods.csv see it.
   * With the scheduler's client rate limited, thousands can wait seconds to minutes. The ratios
   * count bound pods only; the CPU and memory of those on Ready nodes are kept as sums. */
  private readonly assumed = new Set<PodInfo>();
  private readonly assumedReadySums = { cpu: 0, memory: 0 };

  /** `extendedResources`: the extended resources any node offers during the run
   * (extendedResourcesOffered over the scenario's nodes, joining ones included). */
  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    readonly sampleIntervalUs: number,
    readonly endUs: number,
    readonly extendedResources: readonly string[],
    outputs: CollectorOutputs = {},
  ) {
    this.groupBy = outputs.groupBy ?? null;
    this.placementSink = outputs.placements ?? new MemorySink(columnsOf('placements.csv'), this.placements);
    this.timeseriesSink = outputs.timeseries ?? new MemorySink(columnsOf('timeseries.csv', this.columnDims()), this.timeseries);
    const ratiosChanged = () => this.ratiosChanged();
    cluster.onTotalsChanged = ratiosChanged;
    cluster.addIndex({
      // A node's pods come as podPlaced after its nodeAdded (addIndex), and a removed node has
      // none: only a flip moves a node's requested figures.
      nodeAdded: (n) => {
        this.poolPeaks.nodeAdded(n);
        if (n.ready) return;
        this.notReady.add(n);
        this.countNotReady(n.allocatable, null, 1);
      },
      nodeRemoved: (n) => {
        this.poolPeaks.nodeRemoved(n);
        if (!this.notReady.delete(n)) return;
        this.countNotReady(n.allocatable, n.requested, -1);
      },
      nodeUpdated: (n) => {
        this.poolPeaks.nodeUpdated(n);
        if (n.ready === !this.notReady.has(n)) return;
        if (n.ready) this.notReady.delete(n);
        else this.notReady.add(n);
        this.countNotReady(n.allocatable, n.requested, n.ready ? -1 : 1);
        for (const p of n.pods) if (this.assumed.has(p)) this.countAssumed(p, n.ready ? 1 : -1);
        ratiosChanged();
      },
      podPlaced: (p, n) => {
        this.poolPeaks.podPlaced(p, n);
        if (this.notReady.has(n)) this.countNotReady(null, p.requests, 1);
        else if (!p.bound) this.countAssumed(p, 1);
        if (!p.bound) this.assumed.add(p);
      },
      podRemoved: (p, n) => {
        this.poolPeaks.podRemoved(p, n);
        if (this.notReady.has(n)) this.countNotReady(null, p.requests, -1);
        else if (this.assumed.has(p)) this.countAssumed(p, -1);
        this.assumed.delete(p);
      },
    });
    // After the index has seen the nodes: a node NotReady already is not Ready capacity.
    this.cpuRatio = new TimeWeightedMean(sim.now, this.cpuRequestedRatio());
    this.memRatio = new TimeWeightedMean(sim.now, this.memRequestedRatio());
    this.peaks.update(sim.now, this.cpuRequestedRatio(), this.memRequestedRatio());
    this.scheduleSample(sim.now);
  }

  /** Refused writes, grouped by reason without the object's name, in order of first occurrence. */
  readonly rejected = new Map<string, { count: number; first: string; reason: string; write: 'create' | 'update' }>();
  /** Refused pod creates (quota, admission) by the workload that asked for them (refusedWorkloadKey:
   * "Deployment/ns/name" for a Deployment's ReplicaSet's pods), with the first reason: why that
   * workload's pods may be missing. Not by namespace: one workload's refusal (a LimitRange's
   * ratio) says nothing of why another of the namespace is short (its quota). */
  readonly refusedByWorkload = new Map<string, { count: number; reason: string }>();

  readonly watcher: ClusterWatcher = {
    writeRejected: (object: string, reason: string, write: 'create' | 'update' = 'create', pod?: Pod) => {
      const key = `${write} ${reason.replace(/^([\w.]+) "[^"]*"/, '$1')}`;
      const r = this.rejected.get(key);
      if (r === undefined) this.rejected.set(key, { count: 1, first: object, reason, write });
      else r.count++;
      // Pod creates by the workload they were for; other objects' and bare pods' are not counted.
      const owner = pod === undefined ? null : refusedWorkloadKey(this.cluster, pod);
      if (owner === null) return;
      const n = this.refusedByWorkload.get(owner);
      if (n === undefined) this.refusedByWorkload.set(owner, { count: 1, reason });
      else n.count++;
    },
    podPhaseChanged: (p: PodInfo) => {
      if (p.phase === 'Running' && p.startedUs >= 0) this.startupLatencyUs.push(p.startedUs - p.createdUs);
    },
    podAdded: (p: PodInfo) => {
      if (p.past?.notReady === true) this.notReadyPods.add(p);
    },
    podTerminating: (p: PodInfo) => {
      this.terminating.add(p);
    },
    podDeleted: (p: PodInfo) => {
      if (!p.bound && p.ownerKind === '') this.podsDeletedUnbound++;
      if (!p.bound) this.countDeletedUnbound(p);
      if (!p.bound && this.sim.now - p.createdUs > WAITED_LONG_US) this.podsWaitedLong++;
      this.lastFailure.delete(p);
      this.notReadyPods.delete(p);
      this.terminating.delete(p);
    },
    // The binding committed: the pod's requests count from now.
    podBound: (p: PodInfo) => {
      if (!this.assumed.delete(p)) return;
      const n = p.nodeName === null ? undefined : this.cluster.nodeByName.get(p.nodeName);
      if (n !== undefined) this.poolPeaks.podBound(p, n);
      if (n !== undefined && !this.notReady.has(n)) this.countAssumed(p, -1);
      this.ratiosChanged();
    },
  };

  /** Pods of workload entries deleted before they were ever bound, by entry and class, with
   * their latest reasons (the never-bound warnings: src/metrics/shortfall.ts): bare pods (as
   * pods_deleted_unbound counts them), and a Job's pods deleted with their Job (a trace's
   * deletion time); a Job's pods its controller deletes while it stays (done, or past its
   * deadline: jobs.csv says so) are not. Counts, not pods: a trace can have millions. */
  readonly deletedUnbound = new Map<string, Map<NeverBoundClass, NeverBoundTally>>();

  private countDeletedUnbound(p: PodInfo): void {
    const c = neverBoundClass(p);
    if (c === null || (c === 'Job' && this.cluster.objects.get(p.ownerObjectKey) !== undefined)) return;
    neverBoundTallyOf(this.deletedUnbound, p.workload, c).add(this.lastFailure.get(p), p.nodeName !== null);
  }

  private ratiosChanged(): void {
    const cpu = this.cpuRequestedRatio();
    const mem = this.memRequestedRatio();
    this.cpuRatio.set(this.sim.now, cpu);
    this.memRatio.set(this.sim.now, mem);
    this.peaks.update(this.sim.now, cpu, mem);
  }

  private countAssumed(p: PodInfo, sign: 1 | -1): void {
    this.assumedReadySums.cpu += sign * p.requests.milliCpu;
    this.assumedReadySums.memory += sign * p.requests.memory;
  }

  /** Whether a pod on a node's books is not bound yet (the ratios leave it out). */
  isAssumed(p: PodInfo): boolean {
    return this.assumed.has(p);
  }

  attempt(r: AttemptRecord): void {
    const p = r.pod;
    this.attemptErrors.attempt(r);
    if (r.result === 'bound') {
      this.podsBound++;
      this.schedulingLatencyUs.push(r.timeUs - p.createdUs);
      if (r.timeUs - p.createdUs > WAITED_LONG_US) this.podsWaitedLong++;
      this.lastFailure.delete(p);
    } else if (!p.deleted) this.lastFailure.set(p, { error: r.result === 'error', reason: r.reason });
    this.placementSink.add(placementRow(r.timeUs, p, r.result, r.node, r.reason, {
      attempt: r.attempt,
      queue_wait_ms: toMillis(r.queueWaitUs),
      cycle_ms: toMillis(r.cycleUs),
      bind_ms: r.bindUs < 0 ? null : toMillis(r.bindUs),
    }));
  }

  /** A preemption victim: result "preempted", the node it ran on and the reason naming the
   * preemptor; the attempt and timing columns do not apply and stay empty. */
  preempted(r: PreemptionRecord): void {
    this.placementSink.add(placementRow(r.timeUs, r.victim, 'preempted', r.node, r.reason, NO_ATTEMPT));
  }

  /** A Terminating pod is gone (its kubelet confirmed, or its deletion was forced): result
   * "terminated", the node it held and how long it was Terminating. */
  terminated(timeUs: number, p: PodInfo, node: string): void {
    const s = fmt(toSeconds(timeUs - p.deletionUs), 3);
    this.placementSink.add(placementRow(timeUs, p, 'terminated', node, `terminating for ${s}s after: ${p.deletionReason}`, NO_ATTEMPT));
  }

  /** A pod evicted by the taint-eviction controller: result "evicted", its node and why. */
  evicted(r: { readonly timeUs: number; readonly pod: PodInfo; readonly node: string; readonly reason: string }): void {
    this.placementSink.add(placementRow(r.timeUs, r.pod, 'evicted', r.node, r.reason, NO_ATTEMPT));
  }

  cpuRequestedMeanRatio(): number {
    return this.cpuRatio.mean(this.endUs);
  }

  memoryRequestedMeanRatio(): number {
    return this.memRatio.mean(this.endUs);
  }

  /** The summary.csv columns of LATENCY_AND_RATIO_COLUMNS: nearest-rank percentiles of the
   * latencies (NaN when none), time-weighted means of the requested ratios. */
  summaryValues(): Record<(typeof LATENCY_AND_RATIO_COLUMNS)[number], number> {
    const [schedP50, schedP99] = this.schedulingLatencyUs.quantiles([0.5, 0.99]).map(toMillis) as [number, number];
    const [startP50, startP99] = this.startupLatencyUs.quantiles([0.5, 0.99]).map(toMillis) as [number, number];
    return {
      sched_latency_p50_ms: schedP50,
      sched_latency_p99_ms: schedP99,
      startup_latency_p50_ms: startP50,
      startup_latency_p99_ms: startP99,
      cpu_requested_mean_ratio: this.cpuRequestedMeanRatio(),
      memory_requested_mean_ratio: this.memoryRequestedMeanRatio(),
    };
  }

  /** WAIT_COLUMNS: the longest creation → binding over bound pods (NaN when none), and the pods
   * that waited unbound for more than WAITED_LONG_US, counting the live pods still unbound now
   * (the end) that have waited that long. A planner's answer that places every pod by the end
   * can have kept some waiting for room for most of the run, which a p99 over many pods hides. */
  waitValues(): Record<(typeof WAIT_COLUMNS)[number], number> {
    let waiting = 0;
    for (const p of this.cluster.pods.values()) if (!p.bound && this.sim.now - p.createdUs > WAITED_LONG_US) waiting++;
    const [max] = this.schedulingLatencyUs.quantiles([1]).map(toMillis) as [number];
    return { sched_latency_max_ms: max, pods_waited_over_60s: this.podsWaitedLong + waiting };
  }

  /** The peak columns of summary.csv (PEAK_COLUMNS). */
  peakValues(): Record<(typeof PEAK_COLUMNS)[number], number> {
    return { cpu_requested_peak_ratio: this.peaks.cpu, memory_requested_peak_ratio: this.peaks.memory, requested_peak_s: toSeconds(this.peaks.atUs) };
  }

  /** Each node pool's requested-ratio peaks (PoolPeaks). */
  poolPeakValues(): PoolPeakValues {
    return this.poolPeaks.values();
  }

  /** summaryValues as written. */
  summaryColumns(): Row {
    return formatRow(this.summaryValues(), columnsOf('summary.csv'));
  }

  /** What timeseries.csv's templated columns expand to. */
  columnDims(): ColumnDims {
    return { resources: this.extendedResources, ...(this.groupBy !== null ? { groups: this.groupBy.names, groupKey: this.groupBy.key } : {}) };
  }

  timeseriesColumns(): string[] {
    return columnNames('timeseries.csv', this.columnDims());
  }

  /** The API server whose writes the time series reports (etcd latency, queue depth). */
  private api: { readonly inFlight: number; drainCommitLatencies(): MicrosSamples } | null = null;

  watchApi(api: { readonly inFlight: number; drainCommitLatencies(): MicrosSamples }): void {
    this.api = api;
  }

  /** The pods Ready but not available yet (AvailabilityTracker.warming): pods_available leaves
   * them out until their time. */
  watchWarming(warming: ReadonlyMap<PodInfo, number>): void {
    this.warming = warming;
  }

  private countNotReady(allocatable: NodeInfo['allocatable'] | null, requested: NodeInfo['requested'] | null, sign: 1 | -1): void {
    const s = this.notReadySums;
    if (allocatable !== null) {
      s.cpuAllocatable += sign * allocatable.milliCpu;
      s.memoryAllocatable += sign * allocatable.memory;
    }
    if (requested !== null) {
      s.cpuRequested += sign * requested.milliCpu;
      s.memoryRequested += sign * requested.memory;
    }
  }

  /** Σ requested (of pods placed on Ready nodes) over Σ allocatable of the Ready nodes, of one
   * extended resource, from the cluster's totals minus the NotReady nodes' (at samples only). */
  private scalarRequestedRatio(resource: string): number {
    let requested = this.cluster.totalRequested.getScalar(resource);
    let allocatable = this.cluster.totalAllocatable.getScalar(resource);
    for (const n of this.notReady) {
      requested -= n.requested.getScalar(resource);
      allocatable -= n.allocatable.getScalar(resource);
    }
    for (const p of this.assumed) {
      const n = this.cluster.nodeByName.get(p.nodeName ?? '');
      if (n !== undefined && !this.notReady.has(n)) requested -= p.requests.getScalar(resource);
    }
    return ratioOf(requested, allocatable);
  }

  private cpuRequestedRatio(): number {
    const s = this.notReadySums;
    return ratioOf(this.cluster.totalRequested.milliCpu - s.cpuRequested - this.assumedReadySums.cpu, this.cluster.totalAllocatable.milliCpu - s.cpuAllocatable);
  }

  private memRequestedRatio(): number {
    const s = this.notReadySums;
    return ratioOf(this.cluster.totalRequested.memory - s.memoryRequested - this.assumedReadySums.memory, this.cluster.totalAllocatable.memory - s.memoryAllocatable);
  }

  /** A sample every sampleInterval before the end; the end's own is finish()'s. */
  private scheduleSample(atUs: number): void {
    if (atUs >= this.endUs) return;
    this.sim.scheduleAt(atUs, 'metrics.sample', '', () => {
      this.sample();
      this.scheduleSample(atUs + this.sampleIntervalUs);
    });
  }

  private sampledEnd = false;

  /** The last timeseries row: the state at the end of the run, once every event up to the end
   * has run (what nodes.csv and workloads.csv report), whether or not sampleInterval divides
   * the duration (a 7 s interval over 12 m: …, 707, 714, then 720). Once; call it after the
   * simulation has run to endUs. A sample event at the end's instant would see only the events
   * queued before it there, and none at all when the interval does not divide the duration. */
  finish(): void {
    if (this.sampledEnd) return;
    this.sampledEnd = true;
    this.sample();
  }

  private sample(): void {
    const c = this.cluster;
    // Running pods are placed on a node; those on NotReady nodes are not available.
    let runningUnavailable = 0;
    let cpuNotReady = 0;
    let memoryNotReady = 0;
    for (const n of this.notReady) {
      for (const p of n.pods) if (p.phase === 'Running') runningUnavailable++;
      cpuNotReady += n.allocatable.milliCpu;
      memoryNotReady += n.allocatable.memory;
    }
    // Pods of deleted nodes (bound to them until the pod garbage collector deletes them): run
    // nowhere.
    if (c.orphanGroups().size > 0) for (const set of c.orphanGroups().values()) for (const p of set) if (p.phase === 'Running') runningUnavailable++;
    // Pods not Ready themselves, on Ready nodes (those on NotReady nodes are counted above).
    for (const p of this.notReadyPods) if (p.phase === 'Running' && this.cluster.nodeByName.get(p.nodeName ?? '')?.ready === true) runningUnavailable++;
    // Terminating pods still Running on Ready nodes (the others are counted above).
    for (const p of this.terminating) if (isPodReady(p) && this.cluster.nodeByName.get(p.nodeName ?? '')?.ready === true) runningUnavailable++;
    // Ready for less than minReadySeconds (one whose time is now is available: its wake may
    // come after this sample).
    const now = this.sim.now;
    for (const fromUs of this.warming.values()) if (fromUs > now) runningUnavailable++;
    const row: Record<string, Cell> = {
      time_s: toSeconds(this.sim.now),
      nodes_ready: c.nodes.length - this.notReady.size,
      nodes_not_ready: this.notReady.size,
      pods_pending: c.phaseCounts.Pending,
      pods_running: c.phaseCounts.Running,
      pods_available: c.phaseCounts.Running - runningUnavailable,
      // Cumulative counters (pods ever ended so), not store counts: finished pods leave the
      // store when the pod garbage collector deletes them.
      pods_succeeded: c.podsSucceededTotal,
      pods_failed: c.podsFailedTotal,
      pods_terminating: c.terminatingCount,
      cpu_requested_ratio: this.cpuRequestedRatio(),
      memory_requested_ratio: this.memRequestedRatio(),
    };
    for (const r of this.extendedResources) {
      row[`${r}_requested_ratio`] = this.scalarRequestedRatio(r);
    }
    row['cpu_allocatable_not_ready_milli'] = cpuNotReady;
    row['memory_allocatable_not_ready_bytes'] = memoryNotReady;
    // etcd's commit latency over the writes committed since the previous row (empty when none),
    // and the writes sent but not yet committed now.
    const latencies = this.api?.drainCommitLatencies();
    row['etcd_write_p99_ms'] = latencies === undefined || latencies.length === 0 ? null : toMillis(latencies.quantiles([0.99])[0] as number);
    row['api_queue_depth'] = this.api?.inFlight ?? 0;
    if (this.groupBy !== null) this.groupColumns(this.groupBy, row);
    this.timeseriesSink.add(row);
  }

  /** The per-group columns of a timeseries row (README "timeseries.csv"): each group's nodes
   * and the pods on them; ratios over the group's Ready nodes, NaN (empty) without capacity. */
  private groupColumns(g: TimeseriesGroups, row: Record<string, Cell>): void {
    const ext = this.extendedResources;
    interface Acc { ready: number; notReady: number; running: number; available: number; req: number[]; alloc: number[] }
    const acc = new Map<string, Acc>();
    for (const name of g.names) acc.set(name, { ready: 0, notReady: 0, running: 0, available: 0, req: new Array<number>(2 + ext.length).fill(0), alloc: new Array<number>(2 + ext.length).fill(0) });
    // A node of a group the header lacks counts in OTHER_GROUP (when the header has it).
    const other = acc.get(OTHER_GROUP);
    const accOf = (n: { readonly pool: string; readonly zone: string }) => acc.get(groupOf(n, g.key)) ?? other;
    for (const n of this.cluster.nodes) {
      const a = accOf(n);
      if (a === undefined) continue;
      let running = 0;
      let ready = 0;
      for (const p of n.pods) {
        if (p.phase !== 'Running') continue;
        running++;
        if (isPodReady(p) && !p.terminating) ready++;
      }
      a.running += running;
      if (!n.ready) {
        a.notReady++;
        continue;
      }
      a.ready++;
      a.available += ready;
      a.req[0]! += n.requested.milliCpu;
      a.req[1]! += n.requested.memory;
      a.alloc[0]! += n.allocatable.milliCpu;
      a.alloc[1]! += n.allocatable.memory;
      ext.forEach((r, i) => {
        a.req[2 + i]! += n.requested.getScalar(r);
        a.alloc[2 + i]! += n.allocatable.getScalar(r);
      });
    }
    // Running pods of deleted nodes (orphans, until the pod garbage collector deletes them) run
    // nowhere but are Running in the store, as the cluster's pods_running counts them: each
    // counts in its deleted node's group, so the groups add up to the cluster's column.
    if (this.cluster.orphanGroups().size > 0) {
      for (const [name, pods] of this.cluster.orphanGroups()) {
        let running = 0;
        for (const p of pods) if (p.phase === 'Running') running++;
        if (running === 0) continue;
        let removed: NodeInfo | undefined;
        for (const r of this.cluster.removedNodes) if (r.node.name === name) removed = r.node; // the latest of that name
        const a = removed === undefined ? undefined : accOf(removed);
        if (a !== undefined) a.running += running;
      }
    }
    // Ready for less than minReadySeconds: counted above, not available yet.
    const now = this.sim.now;
    for (const [p, fromUs] of this.warming) {
      if (fromUs <= now) continue;
      const n = this.cluster.nodeByName.get(p.nodeName ?? '');
      const a = n === undefined ? undefined : accOf(n);
      if (a !== undefined) a.available--;
    }
    // Pods not bound yet are on their nodes' books but not counted.
    for (const p of this.assumed) {
      const n = this.cluster.nodeByName.get(p.nodeName ?? '');
      const a = n === undefined || !n.ready ? undefined : accOf(n);
      if (a === undefined) continue;
      a.req[0]! -= p.requests.milliCpu;
      a.req[1]! -= p.requests.memory;
      ext.forEach((r, i) => {
        a.req[2 + i]! -= p.requests.getScalar(r);
      });
    }
    for (const [name, a] of acc) {
      const pre = `${g.key}=${name}:`;
      row[`${pre}nodes_ready`] = a.ready;
      row[`${pre}nodes_not_ready`] = a.notReady;
      row[`${pre}pods_running`] = a.running;
      row[`${pre}pods_available`] = a.available;
      row[`${pre}cpu_requested_ratio`] = ratioOf(a.req[0]!, a.alloc[0]!);
      row[`${pre}memory_requested_ratio`] = ratioOf(a.req[1]!, a.alloc[1]!);
      ext.forEach((r, i) => {
        row[`${pre}${r}_requested_ratio`] = ratioOf(a.req[2 + i]!, a.alloc[2 + i]!);
      });
    }
  }
}

/** The group (pool or zone) a node's columns count in. */
export function groupOf(n: { readonly pool: string; readonly zone: string }, key: 'pool' | 'zone'): string {
  const v = key === 'pool' ? n.pool : n.zone;
  return v === '' ? NO_GROUP : v;
}

/** The attempt and timing columns of a row that is not a scheduling attempt. */
const NO_ATTEMPT = { attempt: null, queue_wait_ms: null, cycle_ms: null, bind_ms: null } as const;

/** One placements.csv row, in PLACEMENT_COLUMNS order. */
function placementRow(
  timeUs: number,
  p: PodInfo,
  result: string,
  node: string,
  reason: string,
  attempt: { attempt: number | null; queue_wait_ms: number | null; cycle_ms: number | null; bind_ms: number | null },
): Record<string, Cell> {
  return {
    time_s: toSeconds(timeUs),
    pod: p.name,
    namespace: p.namespace,
    owner_kind: p.ownerKind,
    owner: p.ownerName,
    attempt: attempt.attempt,
    result,
    node,
    reason,
    queue_wait_ms: attempt.queue_wait_ms,
    cycle_ms: attempt.cycle_ms,
    bind_ms: attempt.bind_ms,
  };
}

/** The workload a refused pod create was for, as the availability tracker counts pods
 * (src/faults/availability.ts workloadOf): the object key of its owner (its controller
 * reference, else its first owner, as PodInfo reads it), or of the Deployment owning that
 * owner when it is a ReplicaSet; null for a pod without an owner. */
export function refusedWorkloadKey(cluster: ClusterState, pod: Pod): string | null {
  const md = pod.metadata;
  const ref = controllerRef(pod) ?? (md?.ownerReferences?.[0] as { kind?: string; name?: string } | undefined) ?? null;
  if (ref === null || typeof ref.kind !== 'string' || typeof ref.name !== 'string' || ref.name === '') return null;
  const namespace = md?.namespace ?? 'default';
  const own = objectKey(ref.kind, namespace, ref.name);
  if (ref.kind !== 'ReplicaSet') return own;
  const rs = cluster.objects.get(own);
  const up = rs === undefined ? null : controllerRef(rs);
  return up?.kind === 'Deployment' ? objectKey('Deployment', namespace, up.name) : own;
}
