// Availability of workloads over a run: workloads.csv, and what recovery.csv's
// min_available_ratio / time_to_full_availability_s are computed from.
//
// Definitions (README "Outputs"):
// - A workload is a Deployment, a ReplicaSet without a controlling Deployment, or a StatefulSet;
//   a pod belongs to the workload at the top of its controller chain (Pod → ReplicaSet →
//   Deployment). DaemonSets, Jobs and bare pods are not workloads here.
// - desired: the workload's spec.replicas (current value). A workload deleted during the run
//   wants 0 from then, and is no longer one of the workloads (no workloads.csv row).
// - A pod is Ready when it is Running, not deleted, and its node is Ready. ksim has no
//   readiness probes; a node that goes NotReady makes its pods not Ready at once, as upstream's
//   node lifecycle controller marks their Ready condition false (MarkPodsNotReady). A node
//   deleted (a ksim-events delete) makes its pods not Ready at the deletion: they run nowhere,
//   though they stay Running in the store, bound to it, until the pod garbage collector fails
//   and deletes them (upstream's pods keep their Ready condition until then, so its controllers
//   count them available that long; ksim's count them as this tracker does).
// - A pod is available once it has been Ready for its workload's spec.minReadySeconds (0 when
//   unset: available as soon as Ready), counted from when it turned Ready (started Running, or
//   its node turned Ready again): upstream podutil.IsPodAvailable (pkg/api/v1/pod/util.go), which
//   the ReplicaSet, StatefulSet and DaemonSet controllers count their availableReplicas /
//   numberAvailable with. A Deployment's pods count with the Deployment's minReadySeconds (its
//   controller copies it to its ReplicaSets: upstream deployment/sync.go getNewReplicaSet). A pod
//   Ready but not yet available is "warming": one engine event wakes the tracker when its time
//   comes (readyAt + minReadySeconds), so nothing scans pods; with minReadySeconds 0 nothing of
//   this runs. DaemonSet pods are warmed too (timeseries.csv's pods_available counts them),
//   though a DaemonSet is no workload here.
// - target (the desired count in force): what the workload is held to. New replicas cannot be
//   available the moment spec.replicas rises (they must be created, scheduled and started), so a
//   scale-up raises the target only when the workload first has the new count available; a
//   scale-down lowers it at once (it can be met at once). Creation is a scale-up from 0, so a new
//   workload is held to nothing until its first rollout completes. Formally, after every change
//   of available or desired: target ← desired if desired ≤ target or available ≥ desired, else
//   target is unchanged. A workload of the cluster snapshot is not new: its target is its
//   desired count from t = 0.
// - The workload is short while available < target. available_min_ratio = the lowest
//   min(available, target) / target over the time target > 0 (empty if target never was > 0);
//   unavailable_s = total time short.
import { availableFromUs, isPodAvailable, minReadyUsOf, type PodInfo } from '../cluster/pod-info.js';
import type { ClusterState } from '../cluster/cluster-state.js';
import type { ClusterWatcher } from '../controlplane/api-server.js';
import type { Simulation } from '../engine/simulation.js';
import { controllerRef, objectKey, type WorkloadObject } from '../cluster/workload-object.js';
import { toSeconds } from '../engine/time.js';
import { formatRow, type Table } from '../metrics/csv-output.js';
import { columnNames, columnsOf, type TypedRow } from '../metrics/schema.js';

const KINDS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet']);

export interface WorkloadState {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  desired: number;
  available: number;
  /** spec.minReadySeconds in µs (minReadyUsOf; 0 when unset). */
  minReadyUs: number;
  /** The desired count in force (see the module comment). */
  target: number;
  /** Whether target has ever been > 0 (the ratio columns are empty otherwise). */
  counted: boolean;
  /** Since when short (available < target); -1 while not short. */
  shortSinceUs: number;
  unavailableUs: number;
  minRatio: number;
}

/** Hears every change of a workload's available count or target, with their values before, and
 * the pod whose availability changed (null for a change of the desired count). */
export type AvailabilityListener = (w: WorkloadState, availableBefore: number, targetBefore: number, pod: PodInfo | null) => void;

export class AvailabilityTracker {
  readonly workloads = new Map<string, WorkloadState>();
  /** ReplicaSet key → its workload key (itself or its Deployment's). */
  private readonly rsOwner = new Map<string, string>();
  listener: AvailabilityListener | null = null;
  /** Pods Ready but not Ready for their owner's minReadySeconds yet, with when they become
   * available (a wake is scheduled then); empty without minReadySeconds. A pod leaves when it is
   * counted available or stops being Ready. */
  readonly warming = new Map<PodInfo, number>();
  /** DaemonSet key → its minReadySeconds in µs, only those > 0. */
  private readonly daemonSetMinReady = new Map<string, number>();

  constructor(private readonly sim: Simulation, private readonly cluster: ClusterState) {}

  get nowUs(): number {
    return this.sim.now;
  }

  readonly watcher: ClusterWatcher = {
    // A pod of the start state is Running when it is added.
    podAdded: (p) => this.reeval(p),
    podPhaseChanged: (p) => this.reeval(p),
    podTerminating: (p) => this.reeval(p),
    podDeleted: (p) => this.reeval(p),
    nodeUpdated: (n) => {
      for (const p of n.pods) this.reeval(p);
    },
    // A deleted node's pods (bound to it until the pod garbage collector deletes them, 40-60 s
    // later) run nowhere: not available from the deletion (isPodAvailable: no Ready node).
    nodeDeleted: (n) => {
      for (const p of [...this.cluster.orphansOf(n.name)]) this.reeval(p);
    },
    // A node joining under a deleted node's name runs the pods still bound to that name again
    // (ClusterState.addNode).
    nodeAdded: (n, atStart) => {
      if (!atStart) for (const p of n.pods) this.reeval(p);
    },
    objectAdded: (o) => this.objectChanged(o),
    objectUpdated: (o) => this.objectChanged(o),
    objectDeleted: (o) => {
      const key = objectKey(o.kind, o.metadata.namespace, o.metadata.name);
      if (o.kind === 'DaemonSet') this.daemonSetMinReady.delete(key);
      const w = this.workloads.get(key);
      if (w === undefined) return;
      // It wants nothing more (a fault's recovery holding it, RecoveryTracker, sees it whole),
      // then it is no workload of the cluster: no workloads.csv row, nothing in the summary's
      // *_end counts, which are of the workloads at the end. Its pods still counted available
      // leave it as they are deleted (PodInfo.availableIn); one created again under the name is
      // a new object (upstream: a new UID) and starts a new record.
      this.setDesired(w, 0);
      this.workloads.delete(key);
    },
    // A workload of the cluster snapshot was not just created: it is held to its desired count
    // from t = 0, so one that starts (or stays) short of it counts as short.
    startStateCommitted: () => {
      for (const w of this.workloads.values()) {
        if (w.target >= w.desired) continue;
        const targetBefore = w.target;
        w.target = w.desired;
        this.account(w, w.available, targetBefore, null);
      }
    },
  };

  /** The workload a pod belongs to, or null. */
  workloadOf(p: PodInfo): WorkloadState | null {
    if (p.ownerName === '') return null;
    const own = p.ownerObjectKey;
    // A Deployment's pods count for the Deployment that owns their ReplicaSet.
    const key = p.ownerKind === 'ReplicaSet' ? (this.rsOwner.get(own) ?? own) : own;
    return this.workloads.get(key) ?? null;
  }

  private objectChanged(o: WorkloadObject): void {
    if (o.kind === 'DaemonSet') {
      this.daemonSetChanged(o);
      return;
    }
    if (!KINDS.has(o.kind)) return;
    const key = objectKey(o.kind, o.metadata.namespace, o.metadata.name);
    if (o.kind === 'ReplicaSet') {
      const ref = controllerRef(o);
      if (ref?.kind === 'Deployment') {
        this.rsOwner.set(key, objectKey('Deployment', o.metadata.namespace, ref.name));
        return;
      }
    }
    const replicas = (o.spec as { replicas?: number } | undefined)?.replicas ?? 1;
    const minReadyUs = minReadyUsOf(o.spec);
    let w = this.workloads.get(key);
    if (w === undefined) {
      w = { kind: o.kind, namespace: o.metadata.namespace, name: o.metadata.name, desired: replicas, available: 0, minReadyUs, target: 0, counted: false, shortSinceUs: -1, unavailableUs: 0, minRatio: 1 };
      this.workloads.set(key, w);
    } else if (w.minReadyUs !== minReadyUs) {
      // A changed minReadySeconds (rare): its pods' availability is worked out again.
      w.minReadyUs = minReadyUs;
      const ws = w;
      this.recount((p) => this.workloadOf(p) === ws);
    }
    this.setDesired(w, replicas);
  }

  private daemonSetChanged(o: WorkloadObject): void {
    const key = objectKey(o.kind, o.metadata.namespace, o.metadata.name);
    const minReadyUs = minReadyUsOf(o.spec);
    if (minReadyUs === (this.daemonSetMinReady.get(key) ?? 0)) return;
    if (minReadyUs > 0) this.daemonSetMinReady.set(key, minReadyUs);
    else this.daemonSetMinReady.delete(key);
    this.recount((p) => p.ownerKind === 'DaemonSet' && p.ownerObjectKey === key);
  }

  /** Works the availability of the pods `match` selects out again (a minReadySeconds changed). */
  private recount(match: (p: PodInfo) => boolean): void {
    for (const p of this.cluster.pods.values()) if (match(p)) this.reeval(p, true);
  }

  /** The minReadySeconds (µs) pod `p` is counted available with: its workload's `w`, or its
   * DaemonSet's; 0 for other pods (a Job has none). */
  private minReadyUsFor(p: PodInfo, w: WorkloadState | null): number {
    if (w !== null) return w.minReadyUs;
    if (this.daemonSetMinReady.size === 0 || p.ownerKind !== 'DaemonSet') return 0;
    return this.daemonSetMinReady.get(p.ownerObjectKey) ?? 0;
  }

  /** `recount`: its owner's minReadySeconds changed, so a pod counted available is checked
   * again (otherwise one stays available while it stays Ready). */
  private reeval(p: PodInfo, recount = false): void {
    // A pod without an owner belongs to no workload (workloadOf), so it is never counted: no
    // node lookup for the bare pods of a trace.
    if (p.ownerName === '') return;
    // On its books too (those of p.nodeName: a pod is only ever on its own node's).
    const ready = isPodAvailable(p, this.cluster.nodeByName) && p.onBooks;
    // The workload it counts as available for, kept on the pod (a map keyed by pod cost a cold
    // hash-table probe per pod event, this tracker's most expensive line in a churn).
    const was = p.availableIn as WorkloadState | null;
    if (!ready) {
      if (this.warming.size > 0) this.warming.delete(p);
      if (was === null) return;
      p.availableIn = null;
      this.change(was, -1, p);
      return;
    }
    if (was !== null && !recount) return;
    const w = was ?? this.workloadOf(p);
    const minReadyUs = this.minReadyUsFor(p, w);
    if (minReadyUs > 0) {
      // Upstream IsPodAvailable: Ready for minReadySeconds.
      const fromUs = availableFromUs(p, this.cluster.nodeByName, minReadyUs);
      if (fromUs > this.sim.now) {
        if (was !== null) {
          p.availableIn = null;
          this.change(was, -1, p);
        }
        this.warm(p, fromUs);
        return;
      }
    }
    if (this.warming.size > 0) this.warming.delete(p);
    if (w === null || was !== null) return;
    p.availableIn = w;
    this.change(w, +1, p);
  }

  /** Pod `p` is Ready and becomes available at `fromUs`: wakes then (once per time). */
  private warm(p: PodInfo, fromUs: number): void {
    if (this.warming.get(p) === fromUs) return;
    this.warming.set(p, fromUs);
    this.sim.scheduleAt(fromUs, 'availability.min-ready', p.key, this.wake, p);
  }

  /** A warming pod's time has come, unless it has since stopped being Ready (it left
   * `warming`) or turned Ready again later (its time moved on: a later wake is pending). */
  private readonly wake = (p: PodInfo): void => {
    const fromUs = this.warming.get(p);
    if (fromUs !== undefined && fromUs <= this.sim.now) this.reeval(p);
  };

  private change(w: WorkloadState, delta: number, p: PodInfo): void {
    w.available += delta;
    this.account(w, w.available - delta, w.target, p);
  }

  private setDesired(w: WorkloadState, d: number): void {
    if (w.desired === d) return;
    w.desired = d;
    this.account(w, w.available, w.target, null);
  }

  /** Moves the target (see the module comment), updates the short-time bookkeeping and tells
   * the listener. */
  private account(w: WorkloadState, availableBefore: number, targetBefore: number, p: PodInfo | null): void {
    const now = this.sim.now;
    if (w.desired <= w.target || w.available >= w.desired) w.target = w.desired;
    if (w.target > 0) {
      w.counted = true;
      w.minRatio = Math.min(w.minRatio, Math.min(w.available, w.target) / w.target);
    }
    const short = w.available < w.target;
    if (!short && w.shortSinceUs >= 0) {
      w.unavailableUs += now - w.shortSinceUs;
      w.shortSinceUs = -1;
    } else if (short && w.shortSinceUs < 0) w.shortSinceUs = now;
    this.listener?.(w, availableBefore, targetBefore, p);
  }

  /** The workloads by namespace, kind and name. */
  sortedWorkloads(): WorkloadState[] {
    return [...this.workloads.values()]
      .sort((a, b) => (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** workloads.csv as written. */
  table(endUs: number): Table {
    const columns = columnsOf('workloads.csv');
    return { file: 'workloads.csv', columns: columnNames('workloads.csv'), rows: this.typedRows(endUs).map((r) => formatRow(r, columns)) };
  }

  /** workloads.csv's rows at `endUs`, by namespace, kind and name. */
  typedRows(endUs: number): TypedRow[] {
    return this.sortedWorkloads().map((w) => ({
      kind: w.kind,
      namespace: w.namespace,
      name: w.name,
      desired: w.desired,
      ready: w.available,
      available_min_ratio: w.counted ? w.minRatio : null,
      unavailable_s: w.counted ? toSeconds(w.unavailableUs + (w.shortSinceUs >= 0 ? endUs - w.shortSinceUs : 0)) : null,
    }));
  }
}
