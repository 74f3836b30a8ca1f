// Collects what a run produces: one row per scheduling outcome, periodic samples of the
// cluster, latencies, and the time-weighted requested ratios. Holds rows as plain values (no
// reference to a pod: a finished pod's objects are freed once it leaves the store), or hands the
// placements rows to a sink as they are made (RowSink: the CLI streams placements.csv to its
// file), so memory follows the live pods, plus 16 bytes of latencies per pod created.
import type { Simulation } from '../engine/simulation.js';
import { toMillis, toSeconds } from '../engine/time.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import type { AttemptRecord, PreemptionRecord, SchedulerObserver } from '../scheduler/scheduler.js';
import { fmt, quantile, ratio, TimeWeightedMean } from './stats.js';
import { SampleBuffer } from './samples.js';
import type { RowSink } from './csv-output.js';

export type Row = Record<string, string | number>;

export const PLACEMENT_COLUMNS = ['time_s', 'pod', 'namespace', 'owner_kind', 'owner', 'attempt', 'result', 'node', 'reason', 'queue_wait_ms', 'cycle_ms', 'bind_ms'];

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
  readonly extendedResources: readonly string[];
  private readonly cpuRatio: TimeWeightedMean;
  private readonly memRatio: TimeWeightedMean;

  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    readonly sampleIntervalUs: number,
    readonly endUs: number,
    /** Where placements.csv rows go; absent: kept in `placements`. */
    placementSink?: RowSink,
  ) {
    this.placementSink = placementSink ?? { add: (r) => this.placements.push(r) };
    this.extendedResources = cluster.extendedResourceNames();
    this.cpuRatio = new TimeWeightedMean(sim.now, this.cpuRequestedRatio());
    this.memRatio = new TimeWeightedMean(sim.now, this.memRequestedRatio());
    cluster.onTotalsChanged = () => {
      this.cpuRatio.set(sim.now, this.cpuRequestedRatio());
      this.memRatio.set(sim.now, this.memRequestedRatio());
    };
    this.scheduleSample(sim.now);
  }

  /** Refused writes, grouped by reason without the object's name, in order of first occurrence. */
  readonly rejected = new Map<string, { count: number; first: string; reason: string }>();

  readonly watcher: ClusterWatcher = {
    writeRejected: (object: string, reason: string) => {
      const key = reason.replace(/^(\w+) "[^"]*"/, '$1');
      const r = this.rejected.get(key);
      if (r === undefined) this.rejected.set(key, { count: 1, first: object, reason });
      else r.count++;
    },
    podPhaseChanged: (p: PodInfo) => {
      if (p.phase === 'Running' && p.startedUs >= 0) this.startupLatencyMs.push(toMillis(p.startedUs - p.createdUs));
    },
  };

  attempt(r: AttemptRecord): void {
    const p = r.pod;
    if (r.result === 'bound') {
      this.podsBound++;
      this.schedulingLatencyMs.push(toMillis(r.timeUs - p.createdUs));
    }
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

  timeseriesColumns(): string[] {
    return [
      'time_s', 'nodes_ready', 'nodes_not_ready', 'pods_pending', 'pods_running', 'pods_succeeded', 'pods_failed',
      'cpu_requested_ratio', 'memory_requested_ratio', ...this.extendedResources.map((r) => `${r}_requested_ratio`),
      'etcd_write_p99_ms', 'api_queue_depth',
    ];
  }

  /** The API server whose writes the time series reports (etcd latency, queue depth). */
  private api: { readonly inFlight: number; drainCommitLatencies(): number[] } | null = null;

  watchApi(api: { readonly inFlight: number; drainCommitLatencies(): number[] }): void {
    this.api = api;
  }

  private cpuRequestedRatio(): number {
    return ratio(this.cluster.totalRequested.milliCpu, this.cluster.totalAllocatable.milliCpu);
  }

  private memRequestedRatio(): number {
    return ratio(this.cluster.totalRequested.memory, this.cluster.totalAllocatable.memory);
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
    let ready = 0;
    for (const n of c.nodes) if (n.ready) ready++;
    const row: Row = {
      time_s: fmt(toSeconds(this.sim.now), 6),
      nodes_ready: ready,
      nodes_not_ready: c.nodes.length - ready,
      pods_pending: c.phaseCounts.Pending,
      pods_running: c.phaseCounts.Running,
      // Cumulative counters (pods ever ended so), not store counts: finished pods leave the
      // store when the pod garbage collector deletes them.
      pods_succeeded: c.podsSucceededTotal,
      pods_failed: c.podsFailedTotal,
      cpu_requested_ratio: fmt(this.cpuRequestedRatio(), 6),
      memory_requested_ratio: fmt(this.memRequestedRatio(), 6),
    };
    for (const r of this.extendedResources) {
      row[`${r}_requested_ratio`] = fmt(ratio(c.totalRequested.getScalar(r), c.totalAllocatable.getScalar(r)), 6);
    }
    // etcd's commit latency over the writes committed since the previous row (empty when none),
    // and the writes sent but not yet committed now.
    const latencies = this.api?.drainCommitLatencies() ?? [];
    row['etcd_write_p99_ms'] = latencies.length === 0 ? '' : fmt(toMillis(quantile(latencies, 0.99)), 3);
    row['api_queue_depth'] = this.api?.inFlight ?? 0;
    this.timeseries.push(row);
  }
}

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
