// pods.csv: one row per pod, written when the pod leaves the store (deleted: by a controller,
// the pod garbage collector, an eviction, a preemption) or, for pods still in the store, at the
// end of the run. Rows go to a sink as they are made (the CLI streams them to the file), so a
// finished pod costs nothing once it is gone: the collector keeps what a row needs on each pod
// (PodInfo attempts, firstAttemptAfterUs, boundZone, evicted, preempted), gone with the pod.
//
// Row order (README "pods.csv"): pods gone during the run in the order they left the store
// (simulated time, then commit order: the same every run), then the pods still present at the
// end by namespace and name.
import type { ClusterState } from '../cluster/cluster-state.js';
import type { PodInfo } from '../cluster/pod-info.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import type { Simulation } from '../engine/simulation.js';
import { toSeconds } from '../engine/time.js';
import type { AttemptRecord } from '../scheduler/scheduler.js';
import type { RowSink } from './csv-output.js';
import type { Cell } from './schema.js';

export class PodsCollector {
  /** `<resource>_requested` of each extended resource, made once (not per row). */
  private readonly resourceColumns: readonly (readonly [resource: string, column: string])[];

  /** `resources`: the extended resources of the run (the `<resource>_requested` columns: those
   * of timeseries.csv, extendedResourcesOfRun), sorted. */
  constructor(
    private readonly sim: Simulation,
    private readonly cluster: ClusterState,
    private readonly sink: RowSink,
    resources: readonly string[] = [],
  ) {
    this.resourceColumns = resources.map((r) => [r, `${r}_requested`] as const);
  }

  readonly watcher: ClusterWatcher = {
    podBound: (p) => {
      p.boundZone = this.cluster.nodeByName.get(p.nodeName ?? '')?.zone ?? '';
    },
    podDeleted: (p) => {
      this.sink.add(this.row(p, this.sim.now));
    },
  };

  attempt(r: AttemptRecord): void {
    const p = r.pod;
    p.attempts++;
    if (p.firstAttemptAfterUs < 0) p.firstAttemptAfterUs = p.sinceCreation(r.timeUs);
  }

  preempted(p: PodInfo): void {
    p.preempted = true;
  }

  evicted(p: PodInfo): void {
    p.evicted = true;
  }

  /** Rows of the pods still in the store, by namespace and name. */
  finish(): void {
    const left = [...this.cluster.pods.values()].sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const p of left) this.sink.add(this.row(p, -1));
  }

  private row(p: PodInfo, deletedUs: number): Record<string, Cell> {
    const s = (us: number) => (us < 0 ? null : toSeconds(us));
    const row: Record<string, Cell> = {
      namespace: p.namespace,
      name: p.name,
      owner_kind: p.ownerKind,
      owner: p.ownerName,
      workload: p.workload,
      created_s: s(p.createdUs),
      first_attempt_s: s(p.timeAfterCreation(p.firstAttemptAfterUs)),
      bound_s: p.bound ? s(p.boundUs) : null,
      started_s: s(p.startedUs),
      finished_s: s(p.finishedUs),
      // The deletion's request, by whoever made it (a controller scaling down, the garbage
      // collector, a trace, an eviction, a preemption): a pod bound and not finished is deleted
      // gracefully and stays Terminating until its kubelet confirms (upstream
      // pkg/registry/core/pod/strategy.go CheckGracefulDelete), so this is set and deleted_s empty
      // for one still Terminating at the end; other pods go at once, requested when deleted.
      // Not metadata.deletionTimestamp, which upstream sets to the request plus the grace period
      // (apiserver pkg/registry/rest/delete.go BeforeDelete).
      deletion_requested_s: p.deletionUs >= 0 ? s(p.deletionUs) : s(deletedUs),
      deleted_s: s(deletedUs),
      node: p.bound ? p.nodeName : null,
      // Pods bound in the start state (a snapshot) had no podBound: their node's zone now.
      zone: p.bound ? (p.boundZone !== '' ? p.boundZone : this.cluster.nodeByName.get(p.nodeName ?? '')?.zone ?? '') : null,
      phase: p.phase,
      attempts: p.attempts,
      restarts: p.restarts,
      evicted: p.evicted,
      preempted: p.preempted,
      // What it holds on its node while bound and not finished: the report's per-node heat map.
      cpu_requested_milli: p.requests.milliCpu,
      memory_requested_bytes: p.requests.memory,
    };
    // Each extended resource's request, as nodes.csv's <resource>_requested sums them over the
    // pods bound to a node and not finished (0 when it asks for none).
    for (const [r, column] of this.resourceColumns) row[column] = p.requests.getScalar(r);
    return row;
  }
}
