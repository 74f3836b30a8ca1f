// Collects what a run produces: one row per scheduling outcome, periodic samples of the
// cluster, latencies, and the time-weighted requested ratios. Holds rows as plain values (no
// reference to a pod: a finished pod's objects are freed once it leaves the store), or hands the
// placements rows to a sink as they are made (RowSink: the CLI streams placements.csv to its
// file), so memory follows the live pods, plus 16 bytes of latencies per pod created.
//
// Definitions (README "Outputs"):
// - A pod is available when it is Running on a Ready node (timeseries pods_available).
// - A requested ratio (cpu, memory, each extended resource) is Σ requests of the pods placed on
//   Ready nodes / Σ allocatable of the Ready nodes: the share of the capacity that works, so an
//   outage shows as a rise rather than as a fall; empty when no Ready node offers the resource.
//   The summary's *_requested_mean_ratio is its time-weighted mean over the run (over the time
//   it is defined).
import type { Node } from 'kubernetes-types/core/v1.js';
import type { Simulation } from '../engine/simulation.js';
import { toMillis, toSeconds } from '../engine/time.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { NodeInfo } from '../cluster/node-info.js';
import type { PodInfo } from '../cluster/pod-info.js';
import { parseResourceList } from '../cluster/resources.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import type { AttemptRecord, PreemptionRecord, SchedulerObserver } from '../scheduler/scheduler.js';
import { fmt, quantile, TimeWeightedMean } from './stats.js';
import { SampleBuffer } from './samples.js';
import type { RowSink } from './csv-output.js';

export type Row = Record<string, string | number>;

export const PLACEMENT_COLUMNS = ['time_s', 'pod', 'namespace', 'owner_kind', 'owner', 'attempt', 'result', 'node', 'reason', 'queue_wait_ms', 'cycle_ms', 'bind_ms'];

/** The summary.csv columns the collector computes, in SUMMARY_COLUMNS order. */
export const LATENCY_AND_RATIO_COLUMNS = [
  'sched_latency_p50_ms', 'sched_latency_p99_ms', 'startup_latency_p50_ms', 'startup_latency_p99_ms',
  'cpu_requested_mean_ratio', 'memory_requested_mean_ratio',
] as const;

/** The extended resources any of `nodes` offers (allocatable, else capacity), sorted: the
 * timeseries.csv columns, known before the run so that a pool joining later has its column. */
export function extendedResourcesOffered(nodes: readonly Node[]): string[] {
  const names = new Set<string>();
  for (const n of nodes) {
    const r = parseResourceList((n.status?.allocatable ?? n.status?.capacity) as Record<string, string> | undefined, 'status.allocatable');
    for (const name of r.scalarNames()) names.add(name);
  }
  return [...names].sort();
}

/** a / b, or NaN when b is 0 (no capacity: the ratio is undefined, written empty). */
function ratioOf(a: number, b: number): number {
  return b > 0 ? a / b : Number.NaN;
}

export class MetricsCollector implements SchedulerObserver {
  /** placements.csv rows, unless they go to a sink (then empty). */
  readonly placements: Row[] = [];
  readonly timeseries: Row[] = [];
  /** Creation → binding committed, ms, per bound pod. */
  readonly schedulingLatencyMs = new SampleBuffer();
  /** Creation → Running, ms, per started pod. */
  readonly startupLatencyMs = new SampleBuffer();
  private readonly placementSink: RowSink;
  podsBound = 0;
  /** The latest failed attempt's reason of each pod not bound (yet), for the end-of-run
   * diagnosis of workloads short of their replicas. */
  readonly lastFailure = new Map<PodInfo, string>();
  private readonly cpuRatio: TimeWeightedMean;
  private readonly memRatio: TimeWeightedMean;
  /** Nodes not Ready now: the Ready totals are the cluster's totals minus theirs. */
  private readonly notReady = new Set<NodeInfo>();

  /** `extendedResources`: the extended resources any node offers during the run
   * (extendedResourcesOffered over the scenario's nodes, joining ones included). */
  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    readonly sampleIntervalUs: number,
    readonly endUs: number,
    readonly extendedResources: readonly string[],
    /** Where placements.csv rows go; absent: kept in `placements`. */
    placementSink?: RowSink,
  ) {
    this.placementSink = placementSink ?? { add: (r) => this.placements.push(r) };
    for (const n of cluster.nodes) if (!n.ready) this.notReady.add(n);
    this.cpuRatio = new TimeWeightedMean(sim.now, this.cpuRequestedRatio());
    this.memRatio = new TimeWeightedMean(sim.now, this.memRequestedRatio());
    const ratiosChanged = () => {
      this.cpuRatio.set(sim.now, this.cpuRequestedRatio());
      this.memRatio.set(sim.now, this.memRequestedRatio());
    };
    cluster.onTotalsChanged = ratiosChanged;
    cluster.addIndex({
      nodeAdded: (n) => {
        if (!n.ready) this.notReady.add(n);
      },
      nodeRemoved: (n) => {
        this.notReady.delete(n);
      },
      nodeUpdated: (n) => {
        if (n.ready === !this.notReady.has(n)) return;
        if (n.ready) this.notReady.delete(n);
        else this.notReady.add(n);
        ratiosChanged();
      },
    });
    this.scheduleSample(sim.now);
  }

  /** Refused writes, grouped by reason without the object's name, in order of first occurrence. */
  readonly rejected = new Map<string, { count: number; first: string; reason: string }>();
  /** Refused pod creates by namespace (quota, admission): why a workload's pods may be missing. */
  readonly refusedByNamespace = new Map<string, { count: number; reason: string }>();

  readonly watcher: ClusterWatcher = {
    writeRejected: (object: string, reason: string) => {
      const key = reason.replace(/^(\w+) "[^"]*"/, '$1');
      const r = this.rejected.get(key);
      if (r === undefined) this.rejected.set(key, { count: 1, first: object, reason });
      else r.count++;
      const ns = object.slice(0, object.indexOf('/'));
      const n = this.refusedByNamespace.get(ns);
      if (n === undefined) this.refusedByNamespace.set(ns, { count: 1, reason });
      else n.count++;
    },
    podPhaseChanged: (p: PodInfo) => {
      if (p.phase === 'Running' && p.startedUs >= 0) this.startupLatencyMs.push(toMillis(p.startedUs - p.createdUs));
    },
    podDeleted: (p: PodInfo) => {
      this.lastFailure.delete(p);
    },
  };

  attempt(r: AttemptRecord): void {
    const p = r.pod;
    if (r.result === 'bound') {
      this.podsBound++;
      this.schedulingLatencyMs.push(toMillis(r.timeUs - p.createdUs));
      this.lastFailure.delete(p);
    } else if (!p.deleted) this.lastFailure.set(p, r.reason);
    this.placementSink.add(placementRow(r.timeUs, p, r.result, r.node, r.reason, {
      attempt: r.attempt,
      queue_wait_ms: fmt(toMillis(r.queueWaitUs), 3),
      cycle_ms: fmt(toMillis(r.cycleUs), 3),
      bind_ms: r.bindUs < 0 ? '' : fmt(toMillis(r.bindUs), 3),
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
   * latencies, time-weighted means of the requested ratios. */
  summaryColumns(): Row {
    const [schedP50, schedP99] = this.schedulingLatencyMs.quantiles([0.5, 0.99]) as [number, number];
    const [startP50, startP99] = this.startupLatencyMs.quantiles([0.5, 0.99]) as [number, number];
    return {
      sched_latency_p50_ms: fmt(schedP50, 3),
      sched_latency_p99_ms: fmt(schedP99, 3),
      startup_latency_p50_ms: fmt(startP50, 3),
      startup_latency_p99_ms: fmt(startP99, 3),
      cpu_requested_mean_ratio: fmt(this.cpuRequestedMeanRatio(), 6),
      memory_requested_mean_ratio: fmt(this.memoryRequestedMeanRatio(), 6),
    };
  }

  timeseriesColumns(): string[] {
    return [
      'time_s', 'nodes_ready', 'nodes_not_ready', 'pods_pending', 'pods_running', 'pods_available', 'pods_succeeded', 'pods_failed', 'pods_terminating',
      'cpu_requested_ratio', 'memory_requested_ratio', ...this.extendedResources.map((r) => `${r}_requested_ratio`),
      'cpu_allocatable_not_ready_milli', 'memory_allocatable_not_ready_bytes',
      'etcd_write_p99_ms', 'api_queue_depth',
    ];
  }

  /** The API server whose writes the time series reports (etcd latency, queue depth). */
  private api: { readonly inFlight: number; drainCommitLatencies(): number[] } | null = null;

  watchApi(api: { readonly inFlight: number; drainCommitLatencies(): number[] }): void {
    this.api = api;
  }

  /** Σ requested (of pods placed on Ready nodes) and Σ allocatable of the Ready nodes, of one
   * resource, from the cluster's totals minus the NotReady nodes'. */
  private readyTotals(get: (r: NodeInfo['requested']) => number): { requested: number; allocatable: number } {
    let requested = get(this.cluster.totalRequested);
    let allocatable = get(this.cluster.totalAllocatable);
    for (const n of this.notReady) {
      requested -= get(n.requested);
      allocatable -= get(n.allocatable);
    }
    return { requested, allocatable };
  }

  private requestedRatio(get: (r: NodeInfo['requested']) => number): number {
    const t = this.readyTotals(get);
    return ratioOf(t.requested, t.allocatable);
  }

  private cpuRequestedRatio(): number {
    return this.requestedRatio(cpuOf);
  }

  private memRequestedRatio(): number {
    return this.requestedRatio(memoryOf);
  }

  private scheduleSample(atUs: number): void {
    if (atUs > this.endUs) return;
    this.sim.scheduleAt(atUs, 'metrics.sample', '', () => {
      this.sample();
      this.scheduleSample(atUs + this.sampleIntervalUs);
    });
  }

  private sample(): void {
    const c = this.cluster;
    // Running pods are placed on a node; those on NotReady nodes are not available.
    let runningNotReady = 0;
    let cpuNotReady = 0;
    let memoryNotReady = 0;
    for (const n of this.notReady) {
      for (const p of n.pods) if (p.phase === 'Running') runningNotReady++;
      cpuNotReady += n.allocatable.milliCpu;
      memoryNotReady += n.allocatable.memory;
    }
    const row: Row = {
      time_s: fmt(toSeconds(this.sim.now), 6),
      nodes_ready: c.nodes.length - this.notReady.size,
      nodes_not_ready: this.notReady.size,
      pods_pending: c.phaseCounts.Pending,
      pods_running: c.phaseCounts.Running,
      pods_available: c.phaseCounts.Running - runningNotReady,
      // Cumulative counters (pods ever ended so), not store counts: finished pods leave the
      // store when the pod garbage collector deletes them.
      pods_succeeded: c.podsSucceededTotal,
      pods_failed: c.podsFailedTotal,
      pods_terminating: c.terminatingCount,
      cpu_requested_ratio: fmt(this.cpuRequestedRatio(), 6),
      memory_requested_ratio: fmt(this.memRequestedRatio(), 6),
    };
    for (const r of this.extendedResources) {
      row[`${r}_requested_ratio`] = fmt(this.requestedRatio((x) => x.getScalar(r)), 6);
    }
    row['cpu_allocatable_not_ready_milli'] = cpuNotReady;
    row['memory_allocatable_not_ready_bytes'] = memoryNotReady;
    // etcd's commit latency over the writes committed since the previous row (empty when none),
    // and the writes sent but not yet committed now.
    const latencies = this.api?.drainCommitLatencies() ?? [];
    row['etcd_write_p99_ms'] = latencies.length === 0 ? '' : fmt(toMillis(quantile(latencies, 0.99)), 3);
    row['api_queue_depth'] = this.api?.inFlight ?? 0;
    this.timeseries.push(row);
  }
}

const cpuOf = (r: NodeInfo['requested']): number => r.milliCpu;
const memoryOf = (r: NodeInfo['requested']): number => r.memory;

/** The attempt and timing columns of a row that is not a scheduling attempt. */
const NO_ATTEMPT = { attempt: '', queue_wait_ms: '', cycle_ms: '', bind_ms: '' } as const;

/** One placements.csv row, in PLACEMENT_COLUMNS order. */
function placementRow(
  timeUs: number,
  p: PodInfo,
  result: string,
  node: string,
  reason: string,
  attempt: { attempt: string | number; queue_wait_ms: string; cycle_ms: string; bind_ms: string },
): Row {
  return {
    time_s: fmt(toSeconds(timeUs), 6),
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
